package dev.netpoll.http;

import dev.netpoll.sys.NativeBufferPool;
import dev.netpoll.poll.Conn;
import dev.netpoll.poll.Listener;
import dev.netpoll.poll.NetFd;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * An HTTP/1.1 server: one or more listeners, one task per connection, each running an
 * {@link HttpConnection} loop over the given {@link HttpHandler}.
 *
 * <p>Lifecycle: {@link #start} binds the main listener and accepts; {@link #listen} adds more
 * (every listener serves the same handler, each with an accept loop of its own);
 * {@link #shutdownGracefully} works like Go's {@code Server.Shutdown} (stop accepting on every
 * listener, close idle connections at once, let active ones finish their request and close them,
 * until none is left or the grace period ends); {@link #close} closes everything at once. The
 * server owns the transport it was given and closes it last.
 */
public final class HttpServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(HttpServer.class.getName());

    private final HttpConfig config;
    private final HttpHandler handler;
    private final Transport transport;
    private final Tasks tasks;
    private final NativeBufferPool pool;
    private final RequestParser parser;
    private final Set<HttpConnection> connections = ConcurrentHashMap.newKeySet();
    private final LongAdder requestsInFlight = new LongAdder();
    private final AtomicLong requestsTotal = new AtomicLong();
    private volatile boolean shuttingDown;
    private volatile AccessLog accessLog;
    // The bound listeners, the main one first, and their accept loops: added by the thread that
    // starts the server, read by any (metrics, shutdown).
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final List<AcceptLoop> acceptLoops = new CopyOnWriteArrayList<>();
    // The TLS context start() serves the main listener with; null for cleartext. Set before start.
    private volatile TlsContext tls;
    // The protocol ALPN, a preface or an Upgrade may select (HTTP/2); null for HTTP/1.1 only. Set before start.
    private volatile NextProtocol nextProtocol;

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
        this.pool = new NativeBufferPool(size, Math.min(config.maxConnections() * 2, 256), "HTTP buffer");
        this.parser = new RequestParser(config.maxHeaderCount());
    }

    /** Binds the main listener on {@code address} (port 0 for any free port) and starts accepting. */
    public void start(InetSocketAddress address) throws IOException {
        if (!listeners.isEmpty()) {
            throw new IllegalStateException("already started");
        }
        listen(address, tls);
    }

    /**
     * Binds one more cleartext listener on {@code address} (port 0 for any free port) and starts
     * accepting on it; the first listener bound is the main one. Each listener admits up to
     * {@code maxConnections} of its own, as a Tomcat connector does. Returns the bound address.
     * Call before any shutdown: a listener added later would not be closed.
     */
    public InetSocketAddress listen(InetSocketAddress address) throws IOException {
        return listen(address, null);
    }

    /**
     * Binds one more listener serving TLS with {@code tlsContext} (null: cleartext), each listener
     * deciding for its own connections: an additional cleartext port beside an HTTPS one stays
     * cleartext.
     */
    public InetSocketAddress listen(InetSocketAddress address, TlsContext tlsContext) throws IOException {
        if (shuttingDown) {
            throw new IllegalStateException("shutting down");
        }
        Listener bound = transport.listen(address, config.backlog(), config.deferAccept());
        var acceptLoop = new AcceptLoop(bound, tasks, config.maxConnections(), conn -> {
            // The handshake gets the head timeout: a client that opens TLS and stalls is a slowloris.
            Conn served = tlsContext == null ? conn : tlsContext.wrap(conn, config.headTimeout());
            var connection = new HttpConnection(served, this);
            connections.add(connection);
            try {
                connection.serve();
            } finally {
                connections.remove(connection);
                // The accept loop closes the socket; a TLS connection must close itself first, to
                // send close_notify and give its record buffers back.
                served.close();
            }
        });
        listeners.add(bound);
        acceptLoops.add(acceptLoop);
        acceptLoop.start();
        return bound.localAddress();
    }

    /**
     * Hands connections to {@code protocol} (HTTP/2) when ALPN, the client's preface or an
     * {@code Upgrade} request selects it; null serves HTTP/1.1 only. Set before {@link #start}.
     * TLS contexts must offer its name by ALPN for TLS clients to select it.
     */
    public void setNextProtocol(NextProtocol protocol) {
        if (!listeners.isEmpty()) {
            throw new IllegalStateException("the next protocol is set before start");
        }
        nextProtocol = protocol;
    }

    /** The protocol connections may be handed to, or null. */
    public NextProtocol nextProtocol() {
        return nextProtocol;
    }

    /** Serves HTTPS with {@code context} (null: cleartext). Set before {@link #start}. */
    public void setTls(TlsContext context) {
        if (!listeners.isEmpty()) {
            throw new IllegalStateException("TLS is set before start");
        }
        tls = context;
    }

    /** The TLS settings of the main listener, or null when it speaks cleartext. */
    public TlsContext tls() {
        return tls;
    }

    /** Logs every response to {@code log} from now on (null: no access log); closed with the server. */
    public void setAccessLog(AccessLog log) {
        accessLog = log;
    }

    /** The access log, or null; a protocol logs each request it served to it. */
    public AccessLog accessLog() {
        return accessLog;
    }

    /** Starts {@code work} as a task of this server, counted among its goroutines. */
    public Thread startTask(Runnable work) {
        return tasks.start(work);
    }

    /** The main listener's bound port, or -1 before {@link #start}. */
    public int port() {
        InetSocketAddress main = address();
        return main == null ? -1 : main.getPort();
    }

    /** The main listener's bound address, or null before {@link #start}. */
    public InetSocketAddress address() {
        for (Listener l : listeners) {
            return l.localAddress();
        }
        return null;
    }

    /** Every listener's bound address, the main one first. */
    public List<InetSocketAddress> addresses() {
        List<InetSocketAddress> all = new ArrayList<>();
        for (Listener l : listeners) {
            all.add(l.localAddress());
        }
        return all;
    }

    HttpConfig config() {
        return config;
    }

    /** The handler every request goes to, whatever protocol carried it. */
    public HttpHandler handler() {
        return handler;
    }

    /** The server's pool of direct buffers, shared by its protocols. */
    public NativeBufferPool pool() {
        return pool;
    }

    RequestParser parser() {
        return parser;
    }

    public boolean isShuttingDown() {
        return shuttingDown;
    }

    /** Counts a request in; every protocol calls this and {@link #requestFinished()} around each request. */
    public void requestStarted() {
        requestsInFlight.increment();
        requestsTotal.incrementAndGet();
    }

    public void requestFinished() {
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

    /**
     * Pooled buffers held by connections now: HTTP buffers, and the socket scratch buffers of
     * heap reads and writes (shared by every server in the JVM). An idle connection holds none,
     * and neither does an idle upgraded one (a WebSocket session between messages).
     */
    public int buffersLent() {
        return pool.lent() + NetFd.scratchLent();
    }

    public long requestsInFlight() {
        return requestsInFlight.sum();
    }

    public long requestsTotal() {
        return requestsTotal.get();
    }

    /** Connections accepted so far, on every listener. */
    public long connectionsAccepted() {
        long accepted = 0;
        for (AcceptLoop loop : acceptLoops) {
            accepted += loop.accepted();
        }
        return accepted;
    }

    /** Times accepting paused because {@code maxConnections} were open, on every listener. */
    public long connectionLimitReached() {
        long reached = 0;
        for (AcceptLoop loop : acceptLoops) {
            reached += loop.limitReached();
        }
        return reached;
    }

    /** The accept loops, one per listener, the main one first; for the goroutine dump. */
    public List<AcceptLoop> acceptLoops() {
        return List.copyOf(acceptLoops);
    }

    /** This server's live tasks (its goroutines): connections, the accept loop, tasks it started. */
    public List<Thread> tasks() {
        return tasks.threads();
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
        stopAcceptingListeners();
        long deadline = System.nanoTime() + grace.toNanos();
        long quiet = config.shutdownQuietPeriod().toNanos();
        long pause = 1;
        for (;;) {
            long now = System.nanoTime();
            for (HttpConnection connection : connections) {
                connection.expireIfQuietFor(quiet, now);
            }
            if (drained()) {
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

    /**
     * Whether the drain is over: every listener has handed out what the kernel had queued and
     * closed itself, and no connection is in service. Counted by the accept loops' permits (taken
     * before accept, given back when a connection's task ends), not by {@code connections}, which
     * a new connection's task joins only once it runs. Listeners first: a connection accepted
     * after the count was read would otherwise be missed.
     */
    private boolean drained() {
        for (Listener l : listeners) {
            if (l.isOpen()) {
                return false;
            }
        }
        for (AcceptLoop loop : acceptLoops) {
            if (loop.inService() > 0) {
                return false;
            }
        }
        return connections.isEmpty();
    }

    private void stopAcceptingListeners() {
        for (Listener l : listeners) {
            l.stopAccepting();
        }
    }

    private void closeListeners() {
        for (Listener l : listeners) {
            l.close();
        }
    }

    /** Closes the listeners and every connection at once, then the transport. Idempotent. */
    @Override
    public void close() {
        shuttingDown = true;
        closeListeners();
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
