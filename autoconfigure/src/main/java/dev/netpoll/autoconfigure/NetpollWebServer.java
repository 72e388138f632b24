package dev.netpoll.autoconfigure;

import dev.netpoll.http.ConnectionLimit;
import dev.netpoll.http.HttpConfig;
import dev.netpoll.http.HttpServer;
import dev.netpoll.tls.TlsContext;
import dev.netpoll.poll.Transport;
import dev.netpoll.servlet.NetpollServletContext;
import dev.netpoll.servlet.ServletHandler;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.OptionalLong;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.web.server.GracefulShutdownCallback;
import org.springframework.boot.web.server.GracefulShutdownResult;
import org.springframework.boot.web.server.PortInUseException;
import org.springframework.boot.web.server.Shutdown;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.WebServerException;

/**
 * A {@link WebServer} serving one initialized {@link NetpollServletContext}. Configured but closed
 * when created; {@link #start()} opens the transport and binds the port.
 *
 * <p>Lifecycle calls come from Spring's context thread; graceful shutdown waits on a thread of its
 * own and is ended early by {@link #stop()}.
 *
 * @since 0.1.0
 */
public class NetpollWebServer implements WebServer {

    private static final Log logger = LogFactory.getLog(NetpollWebServer.class);

    private final NetpollServletContext context;
    private final HttpConfig config;
    private final String transportName;
    private final int pollerThreads;
    private final InetAddress address;
    private final int port;
    private final Shutdown shutdown;
    private volatile HttpServer server;
    private volatile boolean shutdownAborted;
    private AccessLogSettings accessLog;
    private TlsContext tls;


    public NetpollWebServer(NetpollServletContext context, HttpConfig config, String transportName, int pollerThreads,
            InetAddress address, int port, Shutdown shutdown) {
        this.context = context;
        this.config = config;
        this.transportName = transportName;
        this.pollerThreads = pollerThreads;
        this.address = address;
        this.port = port;
        this.shutdown = shutdown;
    }

    @Override
    public synchronized void start() throws WebServerException {
        if (server != null || port < 0) {
            return;
        }
        Transport transport;
        try {
            transport = Transport.open(transportName, pollerThreads);
        } catch (IOException e) {
            throw new WebServerException("Unable to open the Netpoll transport: " + e.getMessage(), e);
        }
        var handler = new ServletHandler(context);
        var candidate = new HttpServer(config, handler, transport);
        handler.startTasksWith(candidate::startTask);
        candidate.setTls(tls);
        try {
            candidate.start(new InetSocketAddress(address, port));
        } catch (BindException e) {
            transport.close();
            throw new PortInUseException(port, e);
        } catch (IOException e) {
            transport.close();
            throw new WebServerException("Unable to start Netpoll on port " + port + ": " + e.getMessage(), e);
        }
        if (accessLog != null) {
            try {
                candidate.setAccessLog(new dev.netpoll.http.AccessLog(accessLog.directory(), accessLog.prefix(),
                        accessLog.pattern(), java.time.Clock.systemDefaultZone()));
            } catch (IOException e) {
                candidate.close();
                throw new WebServerException("Unable to open the access log in " + accessLog.directory()
                        + " (server.netpoll.accesslog.directory): " + e.getMessage(), e);
            }
        }
        server = candidate;
        String contextPath = context.getContextPath();
        logger.info("Netpoll started on port " + candidate.port() + (tls != null ? " (https)" : " (http)") + " with context path '"
                + (contextPath.isEmpty() ? "/" : contextPath) + "' using the " + transport.name() + " transport, "
                + connectionLimit());
        warnIfAboveDescriptorLimit();
    }

    private String connectionLimit() {
        OptionalLong descriptors = ConnectionLimit.descriptorLimit();
        String limit = "at most " + config.maxConnections() + " connections";
        if (descriptors.isEmpty()) {
            return limit + " (descriptor limit unknown)";
        }
        if (config.maxConnections() != ConnectionLimit.byDefault()) {
            return limit + " (configured; descriptor limit " + descriptors.getAsLong() + ")";
        }
        return limit + " (descriptor limit " + descriptors.getAsLong() + " less "
                + (descriptors.getAsLong() - config.maxConnections()) + " in reserve)";
    }

    // A limit the descriptor table cannot back turns the connections past it into accept failures
    // ("Too many open files") and starves the rest of the process of descriptors.
    private void warnIfAboveDescriptorLimit() {
        OptionalLong descriptors = ConnectionLimit.descriptorLimit();
        int allowed = ConnectionLimit.byDefault();
        if (descriptors.isPresent() && config.maxConnections() > allowed) {
            logger.warn("server.netpoll.max-connections=" + config.maxConnections() + " is above the " + allowed
                    + " that the descriptor limit (" + descriptors.getAsLong() + ", ulimit -n) leaves after a reserve for"
                    + " files and outbound sockets: raise the limit or lower the property");
        }
    }

    @Override
    public synchronized void stop() throws WebServerException {
        HttpServer running = server;
        if (running == null) {
            return;
        }
        shutdownAborted = true;
        running.close();
        server = null;
    }

    @Override
    public void destroy() {
        stop();
        context.stop();
    }

    @Override
    public int getPort() {
        HttpServer running = server;
        return running == null ? -1 : running.port();
    }

    /** Serves HTTPS with {@code tls}; null (the default) for cleartext. Set before {@link #start()}. */
    public void setTls(TlsContext tls) {
        this.tls = tls;
    }

    /** Writes an access log while running; null for none. Set before {@link #start()}. */
    public void setAccessLog(AccessLogSettings settings) {
        this.accessLog = settings;
    }

    /** The running engine, for metrics and the runtime view; null while stopped. */
    public HttpServer getHttpServer() {
        return server;
    }

    public NetpollServletContext getServletContext() {
        return context;
    }

    /**
     * Stops accepting, closes idle connections, and reports {@code IDLE} once the requests in
     * flight have finished, or {@code REQUESTS_ACTIVE} if {@link #stop()} came first (Spring's
     * shutdown phase timed out).
     */
    @Override
    public void shutDownGracefully(GracefulShutdownCallback callback) {
        HttpServer running = server;
        if (shutdown != Shutdown.GRACEFUL || running == null) {
            callback.shutdownComplete(GracefulShutdownResult.IMMEDIATE);
            return;
        }
        logger.info("Commencing graceful shutdown. Waiting for active requests to complete");
        Thread.ofPlatform().name("netpoll-shutdown").daemon(true).start(() -> {
            boolean idle = running.shutdownGracefully(Duration.ofDays(1)) && !shutdownAborted;
            if (idle) {
                logger.info("Graceful shutdown complete");
                callback.shutdownComplete(GracefulShutdownResult.IDLE);
            } else {
                logger.info("Graceful shutdown aborted with one or more requests still active");
                callback.shutdownComplete(GracefulShutdownResult.REQUESTS_ACTIVE);
            }
        });
    }
}
