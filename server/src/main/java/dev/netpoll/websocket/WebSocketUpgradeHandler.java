package dev.netpoll.websocket;

import dev.netpoll.servlet.NetpollUpgradeHandler;
import dev.netpoll.servlet.UpgradedWebConnection;
import jakarta.servlet.http.WebConnection;

/**
 * The servlet upgrade handler of a WebSocket handshake: {@code init} runs on the connection's task
 * after the 101 is written and serves the whole session there, then closes the connection.
 * Created by the container through {@code HttpServletRequest.upgrade}; {@link #prepare} is called
 * by the handshake before the servlet returns, so before {@code init}.
 */
public final class WebSocketUpgradeHandler implements NetpollUpgradeHandler {

    private NetpollServerContainer container;
    private MessageLayer.Opener opener;
    private String path;
    private MessageCompression compression;
    /** Set by graceful shutdown (any thread), possibly before the session exists. */
    private volatile boolean goingAway;
    private volatile WebSocketSession session;
    /**
     * The container's session slot the handshake reserved: set by prepare before the 101, then
     * owned by the connection's task, which frees it once (init's end or upgradeDropped).
     */
    private boolean holdsSlot;

    /** {@code compression} is the session's permessage-deflate state, or null when not negotiated. */
    void prepare(NetpollServerContainer container, MessageLayer.Opener opener, String path,
            MessageCompression compression) {
        this.container = container;
        this.opener = opener;
        this.path = path;
        this.compression = compression;
        this.holdsSlot = true;
    }

    @Override
    public void init(WebConnection connection) {
        try {
            var upgraded = ((UpgradedWebConnection) connection).getUpgradedConn();
            var opened = new WebSocketSession(container, upgraded, opener, path, compression);
            opener = null; // the session owns it now, and drops it once the endpoint is open
            session = opened;
            if (goingAway) {
                opened.goAway();
            }
            container.opened(opened);
            try {
                opened.run();
            } finally {
                container.closed(opened);
            }
        } finally {
            freeSlot();
            try {
                connection.close();
            } catch (Exception e) {
                // the socket is closed either way
            }
        }
    }

    @Override
    public void upgradeDropped() {
        freeSlot();
    }

    private void freeSlot() {
        if (holdsSlot) {
            holdsSlot = false;
            container.releaseSlot();
        }
    }

    @Override
    public void destroy() {
        // init closed the connection; nothing else is held.
    }

    @Override
    public void shutdownGracefully() {
        goingAway = true;
        WebSocketSession current = session;
        if (current != null) {
            current.goAway();
        }
    }

    @Override
    public String describe() {
        return "websocket " + path;
    }
}
