package dev.netpoll.http;

import java.io.IOException;

/**
 * A protocol that takes a connection over after a {@code 101 Switching Protocols} response (RFC
 * 9110 section 7.8), such as WebSocket. A handler asks for it with
 * {@link HttpResponse#upgrade(Upgrade)}; once the handler has returned and the 101 head is
 * written, the connection leaves the HTTP/1.1 loop ({@link ConnState#HIJACKED}) and its task calls
 * {@link #serve}. The connection closes when {@code serve} returns.
 */
public interface Upgrade {

    /**
     * Runs the protocol on the connection's own task, in blocking style; reads park the task on
     * the poller as an idle HTTP connection would. Returning (or throwing) ends the connection.
     */
    void serve(UpgradedConn conn) throws IOException;

    /**
     * Graceful shutdown asks the protocol to finish: it should end its conversation politely and
     * return from {@link #serve} soon. Called once, from the shutting-down thread, possibly
     * before {@link #serve} has started; must not block.
     */
    void shutdown();

    /** What the protocol is doing, for the runtime view ("websocket /chat"). */
    String describe();

    /**
     * The switch asked for will not happen ({@link #serve} is never called): the handler failed,
     * changed the status, the request's body could not be read, the 101 could not be written or
     * the connection was closed first. Frees what the protocol reserved at its handshake. Called
     * at most once, on the connection's task.
     */
    default void dropped() {
    }
}
