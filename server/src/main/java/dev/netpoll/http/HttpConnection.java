package dev.netpoll.http;

import dev.netpoll.poll.Conn;
import dev.netpoll.poll.ConnClosedException;
import dev.netpoll.poll.WaitReason;
import dev.netpoll.tls.NotTlsException;
import dev.netpoll.tls.TlsConn;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.BooleanSupplier;

/**
 * The HTTP/1.1 loop of one connection (RFC 9112 section 9): read a head, run the handler, finish
 * the response, and go again while the connection persists. Pipelined requests are answered in
 * order because one task handles them one after another.
 *
 * <p>Everything here runs on the connection's task, except {@link #expireIfQuietFor} and
 * {@link #forceClose()} (shutdown, any thread) and the getters read by the runtime view.
 * {@code state} moves by CAS so that shutdown closes a connection only while it is idle; see
 * {@link ConnState} for the transitions.
 */
public final class HttpConnection {

    private static final System.Logger LOG = System.getLogger(HttpConnection.class.getName());
    private static final VarHandle STATE;
    /** How long a lingering close waits for the client to stop sending (Go's rstAvoidanceDelay). */
    static final long LINGER_NANOS = java.time.Duration.ofMillis(500).toNanos();

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(HttpConnection.class, "state", ConnState.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Conn conn;
    private final HttpServer server;
    private final long openedAtMillis = System.currentTimeMillis();
    @SuppressWarnings("unused") // through STATE
    private volatile ConnState state = ConnState.NEW;
    /** The request being served, for the runtime view; written by the task. */
    private volatile String currentRequest;
    private volatile long requests;
    /** When the connection last began waiting for a request; written by its task, read by shutdown. */
    private volatile long idleSinceNanos = System.nanoTime();
    /*
     * activate(), expireIfQuietFor() and hijack() are made exclusive by this object's monitor,
     * held for a few field reads and writes only: never across a park, a write or a call into a
     * protocol. A ReentrantLock would do the same for 48 bytes more per connection, kept for its
     * whole idle life; the monitor is contended only while a shutdown sweeps the connections.
     */
    /** Set once by graceful shutdown: stop waiting for another request. */
    private volatile boolean expired;
    /** Set once graceful shutdown told the upgraded protocol to finish; guarded by the monitor. */
    private boolean protocolTold;
    /** The connection's task, set when it starts serving; interrupted by a forced close. */
    private volatile Thread task;
    /**
     * {@link System#nanoTime} of the last move into NEW, ACTIVE or IDLE, so the goroutine dump can
     * say how long a connection has been idle or in its request. Written by the task.
     */
    private volatile long stateSinceNanos = System.nanoTime();
    /**
     * Task-owned. Set when the server ends the connection while the client may still be sending
     * (an error answered before the body or head was read to its end): closing then would make
     * the kernel answer the unread bytes with RST, which can destroy our response before the
     * client reads it, so {@link #linger} runs first.
     */
    private boolean inputUnread;
    /** Task-owned: an application thread may still hold the buffers; they must not be pooled again. */
    private boolean buffersAbandoned;
    /**
     * The protocol the connection switched to after a 101, or null; written by the task before it
     * moves to HIJACKED, read by shutdown after it sees HIJACKED (the state's CAS orders them).
     */
    private volatile Upgrade upgrade;
    /** Task-owned: the response the exchange ended with (the server's error page, if it sent one), for the access log. */
    private HttpResponse answered;
    /** Task-owned: a request that asked to switch to the next protocol ({@code Upgrade: h2c}), answered with 101. */
    private HttpRequest upgraded;
    /**
     * The protocol session the connection was handed to (HTTP/2), or null while it speaks
     * HTTP/1.1. Written once by the task; read by shutdown and the runtime view.
     */
    private volatile NextProtocol.Session session;

    HttpConnection(Conn conn, HttpServer server) {
        this.conn = conn;
        this.server = server;
    }

    public ConnState state() {
        return (ConnState) STATE.getVolatile(this);
    }

    public Conn conn() {
        return conn;
    }

    public long openedAtMillis() {
        return openedAtMillis;
    }

    /** The task serving this connection, or null before it starts. */
    public Thread task() {
        return task;
    }

    /** {@link System#nanoTime} when the connection entered its current state. */
    public long stateSinceNanos() {
        return stateSinceNanos;
    }

    public String currentRequest() {
        return currentRequest;
    }

    public long requests() {
        return requests;
    }

    /** The requests in progress on a multiplexed connection (HTTP/2 streams); empty for HTTP/1.1. */
    public java.util.List<String> requestsInProgress() {
        NextProtocol.Session next = session;
        return next == null ? java.util.List.of() : next.requestsInProgress();
    }

    /**
     * What the connection's task is doing, for the runtime view (Go's goroutine profile):
     * waiting for a request, parked in a read or write inside one, or in the application (the
     * handler runs, or blocks on something other than this socket).
     */
    public String activity() {
        NextProtocol.Session next = session;
        if (next != null) {
            return next.activity();
        }
        ConnState s = state();
        WaitReason parked = conn.parkedOn();
        return switch (s) {
            case NEW, IDLE -> "parked in read (waiting for a request)";
            case ACTIVE -> parked == WaitReason.READ ? "parked in read (request)"
                    : parked == WaitReason.WRITE ? "parked in write (response)" : "in the application";
            case HIJACKED -> upgrade.describe() + (parked == WaitReason.READ ? ": parked in read"
                    : parked == WaitReason.WRITE ? ": parked in write" : ": in the application");
            case CLOSED -> "closing";
        };
    }

    /**
     * Graceful shutdown: if the connection has waited for its next request for at least
     * {@code quietNanos}, tells its task to stop waiting. The task closes it itself, gently (see
     * {@link #serve}): a request that arrived meanwhile is still served, with
     * {@code Connection: close}. A connection that is serving, or was busy more recently, is left
     * alone: it closes after its response, or when it has been quiet long enough. Any thread.
     */
    void expireIfQuietFor(long quietNanos, long now) {
        // Exclusive with activate(): once a request's first bytes made the connection ACTIVE, a
        // deadline moved to now would cut that request's head or body short.
        NextProtocol.Session next = session;
        if (next != null) {
            // A multiplexed connection is never idle between requests: it announces the end
            // (GOAWAY) and closes itself once its requests are done.
            next.shutdownGracefully();
            return;
        }
        boolean tellProtocol = false;
        synchronized (this) {
            ConnState s = state();
            if (s == ConnState.HIJACKED && !protocolTold) {
                protocolTold = true;
                tellProtocol = true;
            } else if ((s == ConnState.IDLE || s == ConnState.NEW) && now - idleSinceNanos >= quietNanos && !expired) {
                // Flag first, deadline second: ConnInput checks the flag after setting its own
                // deadline, so whichever runs last, the wait ends now.
                expired = true;
                conn.setReadDeadline(System.nanoTime());
            }
        }
        if (tellProtocol) {
            // The upgraded protocol ends its conversation itself (WebSocket: close 1001).
            upgrade.shutdown();
        }
    }

    /**
     * Immediate shutdown: closes the socket (waking a task parked on it) and interrupts the task,
     * so that a handler blocked in application code (a sleep, a lock) ends too.
     */
    void forceClose() {
        STATE.setVolatile(this, ConnState.CLOSED);
        NextProtocol.Session next = session;
        if (next != null) {
            next.close();
        }
        conn.close();
        Thread t = task;
        if (t != null) {
            t.interrupt();
        }
    }

    /** First byte of a request arrived: NEW|IDLE -> ACTIVE, unless shutdown closed us first. */
    private void activate() {
        synchronized (this) {
            ConnState s = state();
            if (s == ConnState.CLOSED || !STATE.compareAndSet(this, s, ConnState.ACTIVE)) {
                throw new ClosedByShutdown();
            }
        }
        stateSinceNanos = System.nanoTime();
    }

    private static final class ClosedByShutdown extends RuntimeException {
        ClosedByShutdown() {
            super(null, null, false, false);
        }
    }

    void serve() {
        task = Thread.currentThread();
        HttpConfig config = server.config();
        var input = new ConnInput(conn, server.pool(), config);
        var output = new ResponseOutput(conn, server.pool(), config);
        var request = new HttpRequest(conn);
        BooleanSupplier stopWaiting = () -> expired;
        NextProtocol next = server.nextProtocol();
        try {
            if (next != null) {
                byte[] handed = selectNext(next, input, stopWaiting);
                if (handed != null) {
                    runNext(next, handed, null);
                    return;
                }
                if (!input.hasBuffered() && input.waitEndedByDeadline()) {
                    // The idle timeout (or a graceful shutdown) ended the wait for a first byte:
                    // one idle wait is all a connection gets, whichever protocol it would have spoken.
                    inputUnread = true;
                    return;
                }
            }
            while (input.awaitRequest(stopWaiting) && serveOne(config, input, output, request, stopWaiting)) {
                // A handler's leftover interrupt is not the next request's (a pooled thread is
                // cleared between tasks the same way); a forced close is seen through the state.
                Thread.interrupted();
                input.recycle();
                output.release();
                output.forgetResponse();
                // An idle connection keeps nothing of the request it served.
                request.forget();
                answered = null;
                currentRequest = null;
                long now = System.nanoTime();
                idleSinceNanos = now;
                if (!STATE.compareAndSet(this, ConnState.ACTIVE, ConnState.IDLE)) {
                    return;
                }
                stateSinceNanos = now;
            }
            if (upgrade != null) {
                hijack(input, output, request);
            } else if (upgraded != null) {
                runNext(next, input.takeBuffered(), upgraded);
            } else if (input.waitEndedByDeadline()) {
                // We end a connection the client may be about to use: FIN rather than a close
                // that would answer a request already on its way with RST.
                inputUnread = true;
            }
        } catch (ClosedByShutdown | ConnClosedException e) {
            // shutdown closed an idle connection
        } catch (NotTlsException e) {
            PlainHttpOnTlsPort.answer(((TlsConn) conn).plain(), e, server.pool());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "connection " + conn.remoteAddress() + ": " + e.getMessage());
        } finally {
            if (buffersAbandoned) {
                input.abandon();
                output.abandon();
            } else {
                if (inputUnread) {
                    linger(input);
                }
                input.release();
                output.dispose();
            }
            STATE.setVolatile(this, ConnState.CLOSED);
        }
    }

    /**
     * Leaves HTTP for the protocol the last response switched to: ACTIVE -> HIJACKED, then the
     * protocol runs on this task until it is done. Shutdown may have begun meanwhile; then the
     * protocol is told at once (under the lock that makes it exclusive with expireIfQuietFor).
     */
    private void hijack(ConnInput input, ResponseOutput output, HttpRequest request) throws IOException {
        Upgrade protocol = upgrade;
        boolean hijacked;
        boolean shuttingDown = false;
        synchronized (this) {
            hijacked = STATE.compareAndSet(this, ConnState.ACTIVE, ConnState.HIJACKED);
            if (hijacked) {
                // Not "expired": a connection expired while quiet still serves a request that arrived
                // at the deadline, and if that request upgraded, its protocol has not been told yet.
                shuttingDown = server.isShuttingDown() && !protocolTold;
                protocolTold |= shuttingDown;
            }
        }
        if (!hijacked) {
            protocol.dropped();
            return; // closed by a forced shutdown
        }
        stateSinceNanos = System.nanoTime();
        currentRequest = protocol.describe();
        // The upgraded connection keeps nothing of the exchange that upgraded it (the protocol
        // took what it needs): a long-lived session should cost what an idle connection does,
        // so the 101's pooled buffer goes back now, not when the session ends.
        request.forget();
        output.release();
        output.forgetResponse();
        if (shuttingDown) {
            protocol.shutdown();
        }
        // The request's head and write timeouts are HTTP's; the protocol sets its own.
        conn.setReadDeadline(0);
        conn.setWriteDeadline(0);
        var upgraded = new UpgradedConn(conn, input, request.isSecure());
        try {
            protocol.serve(upgraded);
        } finally {
            if (!upgraded.endReads()) {
                // A reader of the protocol's own (a blocking upgrade handler's thread) is still
                // inside a read, using the input's pooled buffer: closing wakes it; the buffers go
                // back to the pool only once it has left, else to the garbage collector.
                conn.close();
                if (!upgraded.awaitReaderGone(server.config().writeTimeout().toNanos())) {
                    buffersAbandoned = true;
                }
            }
        }
    }

    /**
     * Protocol selection, before the first request: on TLS the handshake's ALPN result, in
     * cleartext the client's first bytes compared with the protocol's preface (prior knowledge,
     * RFC 9113 section 3.3). Returns the bytes read past the preface when the connection goes to
     * {@code next}, or null to serve HTTP/1.1 (what was read stays buffered for it).
     */
    private byte[] selectNext(NextProtocol next, ConnInput input, BooleanSupplier stopWaiting) throws IOException {
        if (conn instanceof TlsConn tls) {
            tls.handshake();
            if (next.name().equals(tls.applicationProtocol())) {
                activate();
                return new byte[0];
            }
            return null;
        }
        byte[] preface = next.cleartextPreface();
        if (preface == null || input.matchPrefix(preface, stopWaiting) != 1) {
            return null;
        }
        activate();
        return input.takeBuffered();
    }

    /** Hands the connection to {@code next} and serves it there until it ends. */
    private void runNext(NextProtocol next, byte[] alreadyRead, HttpRequest upgradedRequest) throws IOException {
        NextProtocol.Session s = next.open(conn, conn instanceof TlsConn tls ? tls : null, server, alreadyRead,
                upgradedRequest);
        session = s;
        // Flag after publishing: a graceful shutdown that ran before saw no session and set
        // expired; one that runs after finds the session.
        if (expired || server.isShuttingDown()) {
            s.shutdownGracefully();
        }
        s.serve();
    }

    /**
     * Whether the request asks to switch to {@code next} by {@code Upgrade} (RFC 9113 section
     * 3.2 calls it h2c; RFC 7540 section 3.2 describes it): cleartext, no body (a body would
     * have to be read before the switch; we serve such requests over HTTP/1.1, as the RFC
     * allows), and the HTTP2-Settings field present once.
     */
    private static boolean asksForUpgrade(NextProtocol next, RequestHead head, Conn conn) {
        String token = next == null ? null : next.upgradeToken();
        return token != null && !(conn instanceof TlsConn) && head.minorVersion == 1
                && head.bodyLength == RequestHead.NO_BODY && head.headers.containsToken("Upgrade", token)
                && head.headers.count("HTTP2-Settings") == 1 && head.headers.containsToken("Connection", "HTTP2-Settings");
    }

    /**
     * Lingering close, as Go's {@code closeWriteAndWait} and RFC 9112 section 9.6 advise: send FIN
     * so the client sees the end of our response, then read and discard what it still sends until
     * it closes or {@link #LINGER_NANOS} pass; only then may the socket close.
     */
    private void linger(ConnInput input) {
        try {
            conn.shutdownOutput();
            input.discardUntilEnd(System.nanoTime() + LINGER_NANOS);
        } catch (IOException e) {
            // Reset, closed or timed out: nothing more to protect.
        }
    }

    /** Serves one request; returns whether the connection carries another. */
    private boolean serveOne(HttpConfig config, ConnInput input, ResponseOutput output, HttpRequest request,
            BooleanSupplier stopWaiting) throws IOException {
        RequestHead head = request.head;
        head.reset(); // an error before the parser ran must not see the last request's method
        try {
            if (!input.readHead(server.parser(), head, this::activate, stopWaiting)) {
                return false;
            }
        } catch (HttpException e) {
            inputUnread = true;
            sendError(output, "HEAD".equals(head.method), e.status(), e.getMessage());
            return false;
        }
        NextProtocol next = server.nextProtocol();
        if (asksForUpgrade(next, head, conn)) {
            output.writeSwitchingProtocols(next.upgradeToken());
            upgraded = request;
            return false;
        }
        // A response per exchange: threads the handler hands it to may outlive the exchange.
        var response = new HttpResponse(output, new Exchange());
        answered = response;
        requests++;
        request.number++;
        currentRequest = head.requestLine();
        server.requestStarted();
        AccessLog log = server.accessLog();
        long start = log == null ? 0 : System.nanoTime();
        try {
            return respond(config, input, output, request, response);
        } finally {
            Upgrade asked = response.requestedUpgrade();
            if (asked != null && asked != upgrade) {
                asked.dropped();
            }
            server.requestFinished();
            if (log != null) {
                log.log(request, answered, output.bytesWritten(), start);
            }
        }
    }

    private boolean respond(HttpConfig config, ConnInput input, ResponseOutput output,
            HttpRequest request, HttpResponse response) throws IOException {
        RequestHead head = request.head;
        response.begin("HEAD".equals(head.method), head.minorVersion == 0,
                !head.keepAlive || head.closeAfter || server.isShuttingDown(),
                config.compression().accepts(head.headers.get("Accept-Encoding"), head.headers.get("User-Agent")));
        if (config.maxBodySize() >= 0 && head.bodyLength > config.maxBodySize()) {
            // Refused before reading: the body's bytes would be taken for the next request.
            inputUnread = true;
            response.exchange().end();
            sendError(output, output.isHeadRequest(), 413, "request body larger than " + config.maxBodySize() + " bytes");
            return false;
        }
        request.trailers.clear();
        BodyStart start = head.expectContinue ? output::sendContinue : BodyStart.NONE;
        InputStream body;
        RequestBody framed = null;
        if (head.bodyLength == RequestHead.CHUNKED) {
            framed = new ChunkedBody(input, config.maxBodySize(), config.maxHeadSize(), request.trailers, start);
        } else if (head.bodyLength > 0) {
            framed = new FixedLengthBody(input, head.bodyLength, start);
        }
        if (framed != null) {
            framed.onPoisoned(response::requestClose);
            framed.guardedBy(response.exchange());
            body = framed;
        } else {
            body = InputStream.nullInputStream();
        }
        request.body = body;

        Throwable failure = null;
        try {
            server.handler().handle(request, response);
        } catch (Throwable t) {
            failure = t;
        }
        if (!response.exchange().end()) {
            // A thread the handler handed the exchange to is still reading or writing it: the
            // connection's state is theirs, not ours, so it cannot carry another request.
            // Closing wakes it if it is parked on the socket; the buffers it may be using go
            // back to the pool only once it has left, else to the garbage collector.
            LOG.log(System.Logger.Level.DEBUG, () -> "connection " + conn.remoteAddress()
                    + ": the application still uses the exchange after it ended; closing");
            conn.close();
            if (!response.exchange().awaitExit(config.writeTimeout().toNanos())) {
                buffersAbandoned = true;
            }
            return false;
        }
        if (failure != null) {
            if (failure instanceof Error error && !(failure instanceof StackOverflowError)) {
                throw error;
            }
            return answerFailure(request, response, body, failure);
        }
        if (!drain(config, head, body)) {
            inputUnread = true;
            response.requestClose();
            if (response.pendingUpgrade() != null) {
                // RFC 9110 section 7.8: the protocol switches after the whole request. A body left
                // unread (or malformed) would become the new protocol's first bytes, so there is
                // no switch: an error if the 101 is not out yet, else just the close.
                if (!output.isCommitted()) {
                    int status = unreadBodyStatus(head, (RequestBody) body);
                    sendError(output, false, status, status == 400 ? "malformed request body"
                            : status == 417 ? "the request body was not sent before the protocol switch"
                            : "request body too large to read before the protocol switch");
                }
                return false;
            }
        }
        if (server.isShuttingDown()) {
            response.requestClose();
        }
        output.finish();
        Upgrade next = response.pendingUpgrade();
        if (next != null) {
            upgrade = next;
            return false;
        }
        return !output.closesConnection();
    }

    private boolean answerFailure(HttpRequest request, HttpResponse response, InputStream body, Throwable failure)
            throws IOException {
        if (ClientAbortException.causedBy(failure)) {
            return false; // the client is gone: nobody to answer, nothing to log; the connection closes
        }
        boolean framing = failure instanceof BodyException;
        int status = failure instanceof BodyException bodyFailure ? bodyFailure.status() : 500;
        if (status == 500) {
            LOG.log(System.Logger.Level.WARNING, "handler failed on " + request.requestLine(), failure);
        }
        if (!(body instanceof RequestBody framed) || !framed.finished()) {
            inputUnread = true;
        }
        if (response.output.isCommitted()) {
            if (framing) {
                // The application's response stands; it is ended properly and the connection
                // closes after it, since the request's bytes can no longer be trusted.
                response.requestClose();
                finishQuietly(response);
            }
            // A handler that crashed half-way: cutting the response short is the only way to
            // tell the client it is incomplete.
            return false;
        }
        sendError(response.output, response.output.isHeadRequest(), status, status == 500 ? null : failure.getMessage());
        return false;
    }

    private void finishQuietly(HttpResponse response) {
        try {
            response.output.finish();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "could not end the response to " + conn.remoteAddress());
        }
    }

    /** Why a body {@link #drain} gave up on could not be read: framing, a missing 100 Continue, size. */
    private static int unreadBodyStatus(RequestHead head, RequestBody body) {
        if (body.failed()) {
            return 400;
        }
        return head.expectContinue && !body.started() ? 417 : 413;
    }

    /**
     * Reads and discards what the handler left of the body, so that the next request starts where
     * it should. Returns false when the connection must close instead: the rest is over the drain
     * limit, the client awaits 100 Continue for a body it has not sent, or the body is malformed.
     */
    private boolean drain(HttpConfig config, RequestHead head, InputStream body) {
        if (!(body instanceof RequestBody framed) || framed.finished()) {
            return true;
        }
        if (framed.failed()) {
            return false;
        }
        if (head.expectContinue && !framed.started()) {
            return false;
        }
        if (body instanceof FixedLengthBody fixed && fixed.remaining() > config.maxDrainSize()) {
            return false;
        }
        try {
            long skipped = 0;
            byte[] sink = new byte[8192];
            for (int n; (n = framed.readTracked(sink, 0, sink.length)) >= 0; ) {
                skipped += n;
                if (skipped > config.maxDrainSize()) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Answers {@code status} with a short text body (none to a HEAD request), and closes after it;
     * a response of the server's own, since the application's exchange (if any) has ended.
     */
    private void sendError(ResponseChannel output, boolean headRequest, int status, String message) {
        // Nothing of this exchange is committed: callers check (the output may still say committed
        // for the previous response, which must not silence this one).
        var response = new HttpResponse(output, new Exchange());
        answered = response;
        try {
            response.begin(headRequest, false, true);
            response.statusPage(status, message);
            output.finish();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "could not send " + status + " to " + conn.remoteAddress());
        }
    }
}
