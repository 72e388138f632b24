package dev.netpoll.servlet;

import jakarta.servlet.http.HttpUpgradeHandler;

/**
 * An {@link HttpUpgradeHandler} that takes part in Netpoll's graceful shutdown and runtime view.
 * A plain handler is left alone by graceful shutdown (it has no polite way to end) and closed
 * with the rest when the grace period ends.
 */
public interface NetpollUpgradeHandler extends HttpUpgradeHandler {

    /**
     * Graceful shutdown began: end the conversation politely and close the
     * {@link jakarta.servlet.http.WebConnection} soon. Any thread, called once; must not block.
     */
    void shutdownGracefully();

    /** The protocol and what it serves, such as {@code "websocket /chat"}. */
    String describe();

    /**
     * The upgrade will not happen: neither {@code init} nor {@code destroy} is called. Frees what
     * the handshake reserved. The connection's task, at most once.
     */
    default void upgradeDropped() {
    }
}
