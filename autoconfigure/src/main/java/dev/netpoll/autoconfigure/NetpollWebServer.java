package dev.netpoll.autoconfigure;

import dev.netpoll.http.AccessLog;
import dev.netpoll.http.ConnectionLimit;
import dev.netpoll.http.HttpConfig;
import dev.netpoll.http.HttpServer;
import dev.netpoll.tls.TlsContext;
import dev.netpoll.poll.Transport;
import dev.netpoll.servlet.NetpollServletContext;
import dev.netpoll.servlet.ServletHandler;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
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
 * A {@link WebServer} serving one {@link NetpollServletContext}. Configured but closed when
 * created: the context's initializers have run and its listeners were notified, but no servlet or
 * filter is initialized and no port is open. {@link #start()} initializes them, opens the
 * transport and binds the main port and any {@linkplain AdditionalListener additional} ones, all
 * serving the same context.
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
    // Written by the lifecycle methods (synchronized); read by metrics and shutdown threads.
    private volatile HttpServer server;
    private volatile GracefulShutdown gracefulShutdown;
    // Set before start, on Spring's context thread.
    private AccessLogSettings accessLog;
    private List<AdditionalListener> additionalListeners = List.of();
    private TlsContext tls;
    private dev.netpoll.http.NextProtocol nextProtocol;

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

    /**
     * Initializes the servlet context's filters and load-on-startup servlets (once), then binds
     * the main port and the additional listeners. A failing init, or any port that cannot be
     * bound, fails with a {@link WebServerException} (a {@link PortInUseException} naming the port
     * when it is taken) and leaves no port open. Port -1 opens no port at all.
     */
    @Override
    public synchronized void start() throws WebServerException {
        if (server != null || port < 0) {
            return;
        }
        startContext();
        Transport transport;
        try {
            transport = Transport.open(transportName, pollerThreads);
        } catch (IOException e) {
            throw new WebServerException("Unable to open the Netpoll transport: " + e.getMessage(), e);
        }
        var handler = new ServletHandler(context);
        var candidate = new HttpServer(config, handler, transport);
        handler.startTasksWith(candidate::startTask);
        // The server's TLS context (its metrics read it) serves the main port; additional
        // listeners are cleartext.
        candidate.setTls(tls);
        candidate.setNextProtocol(nextProtocol);
        try {
            listen(candidate, new InetSocketAddress(address, port), tls, "server.address");
            for (AdditionalListener listener : additionalListeners) {
                if (listener.address() != null) {
                    listen(candidate, new InetSocketAddress(listener.address(), listener.port()), null,
                            "the AdditionalListener's address");
                } else {
                    listen(candidate, new InetSocketAddress(address, listener.port()), null, "server.address");
                }
            }
            if (accessLog != null) {
                candidate.setAccessLog(openAccessLog());
            }
        } catch (WebServerException e) {
            candidate.close();
            throw e;
        }
        server = candidate;
        gracefulShutdown = null;
        logger.info("Netpoll using the " + transport.name() + " transport, " + connectionLimit()
                + (additionalListeners.isEmpty() ? "" : " on each port"));
        logger.info(startedMessage(candidate));
        warnIfAboveDescriptorLimit();
    }

    private void startContext() {
        try {
            context.start();
        } catch (ServletException | RuntimeException e) {
            throw new WebServerException("Unable to start the Netpoll servlet context: " + e.getMessage(), e);
        }
    }

    private static void listen(HttpServer server, InetSocketAddress address, TlsContext tls, String addressSetting) {
        try {
            server.listen(address, tls);
        } catch (BindException e) {
            throw BindFailure.of(e, address, addressSetting);
        } catch (IOException e) {
            throw new WebServerException("Unable to listen on port " + address.getPort() + ": " + e.getMessage(), e);
        }
    }

    private AccessLog openAccessLog() {
        try {
            return new AccessLog(accessLog.directory(), accessLog.prefix(), accessLog.pattern(), Clock.systemDefaultZone());
        } catch (IOException e) {
            throw new WebServerException("Unable to open the access log in " + accessLog.directory()
                    + " (server.netpoll.accesslog.directory): " + e.getMessage(), e);
        }
    }

    // The shape of Tomcat's and Jetty's line, which tools and tests match:
    // "started on port 8080 (http) with context path '/'", or "ports 8080 (http), 8081 (http)".
    private String startedMessage(HttpServer running) {
        List<InetSocketAddress> bound = running.addresses();
        var ports = new StringBuilder(bound.size() == 1 ? "port " : "ports ");
        for (int i = 0; i < bound.size(); i++) {
            if (i > 0) {
                ports.append(", ");
            }
            String scheme = i == 0 ? (tls != null ? "https" : "http") : additionalListeners.get(i - 1).scheme();
            ports.append(bound.get(i).getPort()).append(" (").append(scheme).append(')');
        }
        String contextPath = context.getContextPath();
        return "Netpoll started on " + ports + " with context path '" + (contextPath.isEmpty() ? "/" : contextPath) + "'";
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

    /**
     * Closes every listener and connection at once; a graceful shutdown still waiting reports
     * {@code REQUESTS_ACTIVE}. The servlet context stays initialized: {@link #start()} serves it
     * again, {@link #destroy()} ends it.
     */
    @Override
    public synchronized void stop() throws WebServerException {
        HttpServer running = server;
        if (running == null) {
            return;
        }
        GracefulShutdown graceful = gracefulShutdown;
        if (graceful != null) {
            graceful.abort();
        }
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

    /** Hands connections to {@code protocol} (HTTP/2) when selected; null (the default) for HTTP/1.1 only. Set before {@link #start()}. */
    public void setNextProtocol(dev.netpoll.http.NextProtocol protocol) {
        this.nextProtocol = protocol;
    }

    /** Serves HTTPS with {@code tls}; null (the default) for cleartext. Set before {@link #start()}. */
    public void setTls(TlsContext tls) {
        this.tls = tls;
    }

    /** Writes an access log while running; null for none. Set before {@link #start()}. */
    public void setAccessLog(AccessLogSettings settings) {
        this.accessLog = settings;
    }

    /** Listens on these too, after the main port. Set before {@link #start()}. */
    public void setAdditionalListeners(List<AdditionalListener> listeners) {
        this.additionalListeners = List.copyOf(listeners);
    }

    /** The running engine, for metrics and the runtime view; null while stopped. */
    public HttpServer getHttpServer() {
        return server;
    }

    public NetpollServletContext getServletContext() {
        return context;
    }

    /**
     * Stops accepting on every port, closes idle connections, and reports {@code IDLE} once the
     * requests in flight have finished, or {@code REQUESTS_ACTIVE} if {@link #stop()} came first
     * (Spring's shutdown phase timed out).
     */
    @Override
    public void shutDownGracefully(GracefulShutdownCallback callback) {
        HttpServer running = server;
        if (shutdown != Shutdown.GRACEFUL || running == null) {
            callback.shutdownComplete(GracefulShutdownResult.IMMEDIATE);
            return;
        }
        var graceful = new GracefulShutdown(running);
        gracefulShutdown = graceful;
        graceful.start(callback);
    }
}
