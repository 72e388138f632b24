package dev.netpoll.http;

import dev.netpoll.poll.Listener;
import dev.netpoll.poll.Transport;
import dev.netpoll.runtime.AcceptLoop;
import dev.netpoll.runtime.RuntimeStats;
import dev.netpoll.runtime.Tasks;
import dev.netpoll.tls.TlsContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * An HTTP/1.1 server: one listener, one task per connection, each running an
 * {@link HttpConnection} loop over the given {@link HttpHandler}.
 *
 * <p>Lifecycle: {@link #start} binds and accepts; {@link #shutdownGracefully} works like Go's
 * {@code Server.Shutdown} (stop accepting, close idle connections at once, let active ones finish
 * their request and close them, until none is left or the grace period ends); {@link #close}
 * closes everything at once. The server owns the transport it was given and closes it last.
 */
public final class HttpServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(HttpServer.class.getName());

    private final HttpConfig config;
    private final HttpHandler handler;
    private final Transport transport;
    private final Tasks tasks;
    private final BufferPool pool;
    private final RequestParser parser;
    private final Set<HttpConnection> connections = ConcurrentHashMap.newKeySet();
    private final LongAdder requestsInFlight = new LongAdder();
    private final AtomicLong requestsTotal = new AtomicLong();
    private volatile boolean shuttingDown;
    private volatile AccessLog accessLog;
    private volatile Listener listener;
    private volatile AcceptLoop acceptLoop;
    private volatile TlsContext tls;

    public HttpServer(HttpConfig config, HttpHandler handler, Transport transport) {
        this(config, handler, transport, "netpoll-conn-");
    }

    public HttpServer(HttpConfig config, HttpHandler handler, Transport transport, String taskPrefix) {
        this.config = config;
        this.handler = handler;
        this.transport = transport;
        this.tasks = new Tasks(taskPrefix);
        // A pooled buffer holds a whole request head, or the head room plus a body slice.
        int size = Math.max(16 * 1024, Integer.highestOneBit(config.maxHeadSize() + 64) * 2);
        // Enough for the requests in flight on a few cores; a burst above it allocates and lets
        // the surplus go, so a ramp of connections does not leave megabytes parked in the pool.
        this.pool = new BufferPool(size, Math.min(config.maxConnections() * 2, 256));
        this.parser = new RequestParser(config.maxHeaderCount());
    }

    /** Binds {@code address} (port 0 for any free port) and starts accepting. */
    public void start(InetSocketAddress address) throws IOException {
        if (listener != null) {
            throw new IllegalStateException("already started");
        }
        Listener bound = transport.listen(address, config.backlog());
        listener = bound;
        acceptLoop = new AcceptLoop(bound, tasks, config.maxConnections(), conn -> {
            TlsContext context = tls;
            // The handshake gets the head timeout: a client that opens TLS and stalls is a slowloris.
            var connection = new HttpConnection(context == null ? conn : context.wrap(conn, config.headTimeout()), this);
            connections.add(connection);
            try {
                connection.serve();
            } finally {
                connections.remove(connection);
            }
        });
        acceptLoop.start();
    }

    /** Serves HTTPS with {@code context} (null: cleartext). Set before {@link #start}. */
    public void setTls(TlsContext context) {
        if (listener != null) {
            throw new IllegalStateException("TLS is set before start");
        }
        tls = context;
    }

    /** The TLS settings of the listener, or null when it speaks cleartext. */
    public TlsContext tls() {
        return tls;
    }

    /** Logs every response to {@code log} from now on (null: no access log); closed with the server. */
    public void setAccessLog(AccessLog log) {
        accessLog = log;
    }

    AccessLog accessLog() {
        return accessLog;
    }

    /** Starts {@code work} as a task of this server, counted among its goroutines. */
    public Thread startTask(Runnable work) {
        return tasks.start(work);
    }

    /** The bound port, or -1 before {@link #start}. */
    public int port() {
        Listener l = listener;
        return l == null ? -1 : l.localAddress().getPort();
    }

    public InetSocketAddress address() {
        Listener l = listener;
        return l == null ? null : l.localAddress();
    }

    HttpConfig config() {
        return config;
    }

    HttpHandler handler() {
        return handler;
    }

    BufferPool pool() {
        return pool;
    }

    RequestParser parser() {
        return parser;
    }

    boolean isShuttingDown() {
        return shuttingDown;
    }

    void requestStarted() {
        requestsInFlight.increment();
        requestsTotal.incrementAndGet();
    }

    void requestFinished() {
        requestsInFlight.decrement();
    }

    public Transport transport() {
        return transport;
    }

    public HttpConfig httpConfig() {
        return config;
    }

    public RuntimeStats stats() {
        return RuntimeStats.capture(tasks, transport);
    }

    public long requestsInFlight() {
        return requestsInFlight.sum();
    }

    public long requestsTotal() {
        return requestsTotal.get();
    }

    /** Connections accepted so far. */
    public long connectionsAccepted() {
        AcceptLoop loop = acceptLoop;
        return loop == null ? 0 : loop.accepted();
    }

    /** Times accepting paused because {@code maxConnections} were open. */
    public long connectionLimitReached() {
        AcceptLoop loop = acceptLoop;
        return loop == null ? 0 : loop.limitReached();
    }

    /** Connections open now. */
    public int connectionsActive() {
        return connections.size();
    }

    /** The live connections, for the runtime view and metrics. */
    public List<HttpConnection> connections() {
        return new ArrayList<>(connections);
    }

    /**
     * Stops accepting and drains: every request that reaches the server is answered, with
     * {@code Connection: close}; a keep-alive connection is closed (gently, with a FIN) once it
     * has waited for a next request for {@link HttpConfig#shutdownQuietPeriod()}. Waits until no
     * connection is left or {@code grace} passes. Returns true if every connection finished in
     * time. Does not close the transport.
     *
     * <p>Unlike Go's {@code Shutdown}, which closes idle connections at once, this does not lose
     * the request a client sent over an idle connection just as it was closed (for a POST, data
     * loss); a client that keeps using a connection gets its answer and the close with it.
     */
    public boolean shutdownGracefully(Duration grace) {
        shuttingDown = true;
        Listener l = listener;
        if (l != null) {
            l.stopAccepting();
        }
        long deadline = System.nanoTime() + grace.toNanos();
        long quiet = config.shutdownQuietPeriod().toNanos();
        long pause = 1;
        for (;;) {
            long now = System.nanoTime();
            for (HttpConnection connection : connections) {
                connection.expireIfQuietFor(quiet, now);
            }
            // Done when no connection is left and the accept loop has handed out every
            // connection the kernel had queued (the listener closes itself after that).
            if (connections.isEmpty() && (l == null || !l.isOpen())) {
                return true;
            }
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return connections.isEmpty();
            }
            pause = Math.min(pause * 2, 50);
        }
    }

    /** Closes the listener and every connection at once, then the transport. Idempotent. */
    @Override
    public void close() {
        shuttingDown = true;
        Listener l = listener;
        if (l != null) {
            l.close();
        }
        for (HttpConnection connection : connections) {
            connection.forceClose();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (tasks.live() > 0 && System.nanoTime() - deadline < 0) {
            for (HttpConnection connection : connections) {
                connection.forceClose();
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (tasks.live() > 0) {
            LOG.log(System.Logger.Level.WARNING, tasks.live() + " tasks still running after close");
        }
        AccessLog log = accessLog;
        if (log != null) {
            log.close();
        }
        transport.close();
    }
}
