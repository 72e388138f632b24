package dev.netpoll.servlet;

import dev.netpoll.http.Upgrade;
import dev.netpoll.http.UpgradedConn;
import jakarta.servlet.http.HttpUpgradeHandler;
import java.io.IOException;

/**
 * {@link HttpUpgradeHandler} on the engine's {@link Upgrade}: after the 101 is written, calls
 * {@code init} on the connection's task, then serves the handler's {@code ReadListener} there (or,
 * without one, waits until the handler closes the {@link jakarta.servlet.http.WebConnection}), and
 * calls {@code destroy} when the connection ends, as Servlet 6.1 section 2.3.3.5 orders.
 */
final class ServletUpgrade implements Upgrade {

    private static final System.Logger LOG = System.getLogger(ServletUpgrade.class.getName());

    private final HttpUpgradeHandler handler;
    private final String requestUri;

    ServletUpgrade(HttpUpgradeHandler handler, String requestUri) {
        this.handler = handler;
        this.requestUri = requestUri;
    }

    @Override
    public void serve(UpgradedConn conn) throws IOException {
        var connection = new UpgradedWebConnection(conn);
        try {
            handler.init(connection);
            connection.serveReadListener();
        } finally {
            try {
                handler.destroy();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "upgrade handler " + handler.getClass().getName()
                        + " failed in destroy for " + requestUri, e);
            }
            connection.close();
        }
    }

    @Override
    public void shutdown() {
        if (handler instanceof NetpollUpgradeHandler managed) {
            managed.shutdownGracefully();
        }
    }

    @Override
    public void dropped() {
        if (handler instanceof NetpollUpgradeHandler managed) {
            managed.upgradeDropped();
        }
    }

    @Override
    public String describe() {
        return handler instanceof NetpollUpgradeHandler managed ? managed.describe() : "upgraded " + requestUri;
    }
}
