package dev.netpoll.http2;

import dev.netpoll.http.HttpConfig;
import dev.netpoll.http.HttpRequest;
import dev.netpoll.http.HttpServer;
import dev.netpoll.http.NextProtocol;
import dev.netpoll.poll.Conn;
import dev.netpoll.poll.ConnClosedException;
import dev.netpoll.poll.DeadlineExceededException;
import dev.netpoll.tls.TlsConn;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One HTTP/2 connection, served as Go's {@code serverConn}: this connection's task reads every
 * frame and alone owns the connection's state (the HPACK decoder, the peer's settings, the
 * highest stream id, the header block being assembled, the abuse counters); each stream's request
 * runs on a task of its own ({@link StreamTask}); all frames leave through the
 * {@link FrameWriter}. Stream tasks touch the connection only through {@link ReceiveWindows},
 * {@link #resetStream}, {@link #streamEnded} and the writer.
 *
 * <p>Every protocol error names its RFC 9113 section. A connection error sends GOAWAY with the
 * last stream we took and ends the connection; a stream error sends RST_STREAM and the
 * connection goes on.
 */
final class Http2Connection implements NextProtocol.Session {

    private static final System.Logger LOG = System.getLogger(Http2Connection.class.getName());

    final Http2Protocol protocol;
    final Http2Config config;
    final HttpConfig http;
    final Conn conn;
    final TlsConn tls;
    final HttpServer server;
    final FrameWriter writer;
    private final FrameReader reader;
    private final HpackDecoder decoder;
    private final HttpRequest upgraded;
    /** The streams whose task runs: added by the reader, removed by their task when it ends. */
    private final ConcurrentHashMap<Integer, H2Stream> streams = new ConcurrentHashMap<>();
    private final ReceiveWindows windows;

    /** The highest client stream id seen; written by the reader under {@code admission}. */
    private volatile int maxClientStreamId;
    // Reader-owned.
    private final SkippedStreamIds skippedIds = new SkippedStreamIds();
    /** Streams we reset; any thread adds (see {@link ResetStreamIds}). */
    private final ResetStreamIds resetIds;
    private int peerInitialWindow = Frame.DEFAULT_WINDOW;
    private final HeaderAssembly assembly;
    private final RateLimit resets;
    private final RateLimit controlFrames;
    private boolean goAwaySent;

    /**
     * Graceful shutdown (section 6.8): the thread that shuts down sends GOAWAY naming the last
     * stream admitted, and the connection ends once those streams are done. {@code admission}
     * makes "admit a stream" (the reader) and "fix the last stream id" (shutdown) one step each,
     * so no stream is admitted after its id was left out of the GOAWAY. {@code maxClientStreamId}
     * is written by the reader under it; {@code goAwayLastId} (-1 until GOAWAY) is guarded by it.
     */
    private final java.util.concurrent.locks.ReentrantLock admission = new java.util.concurrent.locks.ReentrantLock();
    private int goAwayLastId = -1;
    /**
     * Whether serve() has sent our SETTINGS and started the upgraded stream; until then a graceful
     * shutdown is only queued ({@code drainQueued}), since a GOAWAY may not precede our preface
     * (section 3.4) and draining an empty table would end the connection before stream 1 ran.
     * Both guarded by {@code admission}.
     */
    private boolean started;
    private boolean drainQueued;
    /** The first graceful shutdown claims the GOAWAY. */
    private final java.util.concurrent.atomic.AtomicBoolean shutdownBegun = new java.util.concurrent.atomic.AtomicBoolean();
    /**
     * Set once our GOAWAY is written: from then on the last stream to end closes our side. Not
     * before, or a stream ending in between would send FIN with no GOAWAY ahead of it.
     */
    private volatile boolean draining;
    /**
     * Once drained or after a connection error: until when the reader waits for the client to
     * close (Go's closeWriteAndWait); 0 before.
     */
    private volatile long lingerUntil;
    private static final long LINGER_NANOS = java.time.Duration.ofMillis(500).toNanos();

    Http2Connection(Http2Protocol protocol, Conn conn, TlsConn tls, HttpServer server, byte[] alreadyRead,
            HttpRequest upgraded) {
        this.protocol = protocol;
        this.config = protocol.config();
        this.http = server.httpConfig();
        this.conn = conn;
        this.tls = tls;
        this.server = server;
        this.upgraded = upgraded;
        this.writer = new FrameWriter(conn, http.writeTimeout().toNanos(), server.pool(), server::startTask);
        this.reader = new FrameReader(conn, server.pool(), alreadyRead);
        this.decoder = new HpackDecoder(config.headerTableSize());
        this.assembly = new HeaderAssembly(config.maxHeaderListSize());
        this.windows = new ReceiveWindows(writer, config.connectionWindow(), config.initialStreamWindow());
        this.resets = new RateLimit(config.maxResetsPerSecond());
        this.controlFrames = new RateLimit(config.maxControlFramesPerSecond());
        this.resetIds = new ResetStreamIds(config.maxConcurrentStreams());
    }

    // ---- NextProtocol.Session

    @Override
    public void serve() throws IOException {
        try {
            // Section 3.4: our preface is a SETTINGS frame, sent before we read theirs.
            writer.settings(Frame.SETTINGS_MAX_CONCURRENT_STREAMS, config.maxConcurrentStreams(),
                    Frame.SETTINGS_INITIAL_WINDOW_SIZE, config.initialStreamWindow(),
                    Frame.SETTINGS_MAX_HEADER_LIST_SIZE, config.maxHeaderListSize(),
                    Frame.SETTINGS_HEADER_TABLE_SIZE, config.headerTableSize());
            if (config.connectionWindow() > Frame.DEFAULT_WINDOW) {
                writer.windowUpdate(config.connectionWindow() - Frame.DEFAULT_WINDOW);
            }
            if (upgraded != null) {
                startUpgradedStream();
            }
            boolean drain;
            admission.lock();
            try {
                started = true;
                drain = drainQueued;
            } finally {
                admission.unlock();
            }
            if (drain) {
                shutdownGracefully();
            }
            if (tls != null || upgraded != null) {
                readPreface();
            }
            loop();
        } catch (Http2Exception e) {
            connectionError(e);
        } catch (ConnClosedException e) {
            // closed by the client or a forced shutdown
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "HTTP/2 connection " + conn.remoteAddress() + ": " + e.getMessage());
        } finally {
            end();
        }
    }

    @Override
    public void shutdownGracefully() {
        int last;
        admission.lock();
        try {
            if (!started) {
                drainQueued = true; // serve() applies it once our preface and stream 1 are out
                return;
            }
            if (!shutdownBegun.compareAndSet(false, true)) {
                return;
            }
            last = maxClientStreamId;
            goAwayLastId = last;
        } finally {
            admission.unlock();
        }
        try {
            writer.goAway(last, ErrorCode.NO_ERROR, "server shutting down");
        } catch (IOException e) {
            conn.close();
            return;
        }
        draining = true;
        finishIfDrained();
    }

    /**
     * After GOAWAY, once no stream is left: our side is done. FIN rather than close, so that the
     * client reads every response and the GOAWAY before it sees the end; the reader then ends at
     * the client's own close (or the idle deadline, or a forced close).
     */
    private void finishIfDrained() {
        if (draining && streams.isEmpty()) {
            try {
                writer.shutdownOutput();
            } catch (IOException e) {
                conn.close();
                return;
            }
            // A lingering close, bounded: the client's own close ends the reader sooner.
            long until = System.nanoTime() + LINGER_NANOS;
            lingerUntil = until;
            conn.setReadDeadline(until);
        }
    }

    @Override
    public void close() {
        writer.wakeWaiters(true);
        conn.close();
        for (H2Stream s : streams.values()) {
            cancel(s, ErrorCode.CANCEL);
            Thread t = s.task;
            if (t != null) {
                t.interrupt();
            }
        }
    }

    @Override
    public String activity() {
        // Few distinct values: the runtime view groups connections by activity.
        return shutdownBegun.get() ? "HTTP/2 (going away)" : streams.isEmpty() ? "HTTP/2 (no stream in progress)"
                : "HTTP/2 (streams in progress)";
    }

    @Override
    public List<String> requestsInProgress() {
        List<String> lines = new ArrayList<>();
        for (H2Stream s : streams.values()) {
            lines.add("stream " + s.id + ": " + s.requestLine + (s.isReset() ? " (reset)" : ""));
        }
        return lines;
    }

    // ---- the reading loop

    private void readPreface() throws IOException, Http2Exception {
        conn.setReadDeadline(System.nanoTime() + http.headTimeout().toNanos());
        byte[] preface = new byte[Frame.PREFACE.length];
        if (!reader.readFully(preface) || !Arrays.equals(preface, Frame.PREFACE)) {
            throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, "invalid connection preface (section 3.4)");
        }
    }

    private void loop() throws IOException, Http2Exception {
        boolean first = true;
        long idleNanos = config.idleTimeout().toNanos();
        for (;;) {
            // The idle deadline runs only while no stream is open (on nio a deadline closes the
            // socket, so it must not cut a long response off). No deadline first, then the
            // check: the stream task that empties the table arms it too (streamEnded), so
            // whichever runs last, an idle connection has its deadline.
            conn.setReadDeadline(0);
            if (streams.isEmpty()) {
                long linger = lingerUntil;
                conn.setReadDeadline(linger != 0 ? linger : System.nanoTime() + idleNanos);
            }
            boolean got;
            try {
                got = reader.next();
            } catch (DeadlineExceededException e) {
                if (lingerUntil != 0) {
                    return;
                }
                if (!streams.isEmpty()) {
                    continue;
                }
                goAwaySent = true;
                writer.goAway(maxClientStreamId, ErrorCode.NO_ERROR, "idle timeout");
                return;
            }
            if (!got) {
                // The client is done sending (it may only have half-closed): what finished
                // streams appended still goes out before end() closes the connection.
                try {
                    writer.flush();
                } catch (IOException e) {
                    // it closed altogether
                }
                return;
            }
            if (first && (reader.type != Frame.SETTINGS || (reader.flags & Frame.FLAG_ACK) != 0)) {
                throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, "the first frame is not SETTINGS (section 3.4)");
            }
            first = false;
            try {
                dispatch();
            } catch (Http2Exception e) {
                if (e.isConnectionError()) {
                    throw e;
                }
                LOG.log(System.Logger.Level.DEBUG, () -> "HTTP/2 stream " + e.streamId() + " of " + conn.remoteAddress()
                        + ": " + e.getMessage());
                // Each costs us an RST_STREAM: a client sending frames we must refuse (DATA on a
                // closed stream, streams over the limit) is bounded like one sending PINGs.
                if (controlFrames.exceeded()) {
                    throw calm("too many frames answered with RST_STREAM (" + e.getMessage() + ")");
                }
                H2Stream s = streams.get(e.streamId());
                if (s != null) {
                    resetStream(s, e.code());
                } else {
                    writer.rstStream(e.streamId(), e.code());
                }
            }
        }
    }

    private void dispatch() throws IOException, Http2Exception {
        int type = reader.type;
        if (assembly.inProgress() && type != Frame.CONTINUATION) {
            throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR,
                    Frame.typeName(type) + " inside a header block (section 6.10)");
        }
        switch (type) {
            case Frame.DATA -> data();
            case Frame.HEADERS -> headers();
            case Frame.CONTINUATION -> continuation();
            case Frame.PRIORITY -> priority();
            case Frame.RST_STREAM -> rstStream();
            case Frame.SETTINGS -> settings();
            case Frame.PING -> ping();
            case Frame.GOAWAY -> goAway();
            case Frame.WINDOW_UPDATE -> windowUpdate();
            case Frame.PUSH_PROMISE -> throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR,
                    "PUSH_PROMISE from a client (section 8.4)");
            default -> {
                // Section 4.1: unknown frame types are ignored.
            }
        }
    }

    private void data() throws IOException, Http2Exception {
        int id = reader.streamId;
        int length = reader.length;
        if (id == 0) {
            throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, "DATA on stream 0 (section 6.1)");
        }
        int from = 0;
        int to = length;
        if ((reader.flags & Frame.FLAG_PADDED) != 0) {
            int pad = length == 0 ? Integer.MAX_VALUE : reader.payload[0] & 0xFF;
            if (pad >= length) {
                throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, "DATA padding not shorter than the frame (section 6.1)");
            }
            from = 1;
            to = length - pad;
        }
        // Section 6.9: the whole frame, padding included, counts against both windows.
        if (!windows.takeConnection(length)) {
            throw Http2Exception.connection(ErrorCode.FLOW_CONTROL_ERROR, "DATA beyond the connection window (section 6.9)");
        }
        H2Stream s = streams.get(id);
        if (s == null || s.isReset() || s.remoteEnded) {
            windows.giveBack(length);
            if (id > maxClientStreamId) {
                throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, "DATA on idle stream " + id + " (section 5.1)");
            }
            // Section 5.1: frames after our RST_STREAM are ignored, as far as the stream's window
            // lets them have been in flight (we never credit a reset stream again).
            boolean ignore = s != null ? s.isReset() && windows.takeStream(s, length)
                    : resetIds.charge(id, length) == ResetStreamIds.Charge.IGNORE;
            if (ignore) {
                // An empty one is free to send and to be ignored again: counted as on an open stream.
                if (to == from && (reader.flags & Frame.FLAG_END_STREAM) == 0 && controlFrames.exceeded()) {
                    throw calm("too many empty DATA frames");
                }
                return;
            }
            throw Http2Exception.stream(id, ErrorCode.STREAM_CLOSED, "DATA on closed stream " + id + " (section 5.1)");
        }
        if (!windows.takeStream(s, length)) {
            windows.giveBack(length);
            throw Http2Exception.stream(id, ErrorCode.FLOW_CONTROL_ERROR, "DATA beyond the stream window (section 6.9)");
        }
        int data = to - from;
        if (length > data) {
            // Padding is never read by anyone: back to the windows, batched like read bytes.
            windows.giveBack(length - data);
            windows.padding(s, length - data);
        }
        boolean end = (reader.flags & Frame.FLAG_END_STREAM) != 0;
        if (data == 0 && !end && controlFrames.exceeded()) {
            throw calm("too many empty DATA frames");
        }
        s.received += data;
        if (s.declaredLength >= 0 && (s.received > s.declaredLength || (end && s.received != s.declaredLength))) {
            // The reset gives back what the stream buffered; this frame's bytes never get there.
            windows.giveBack(data);
            throw Http2Exception.stream(id, ErrorCode.PROTOCOL_ERROR, "request body of " + s.received
                    + (end ? "" : "+") + " bytes does not match content-length " + s.declaredLength + " (section 8.1.1)");
        }
        if (!s.input.offer(reader.payload, from, data)) {
            // Reset by its task since the check above: the data is dropped, its credit must not be.
            windows.giveBack(data);
        }
        if (end) {
            s.remoteEnded = true;
            s.input.end();
        }
    }

    private void headers() throws IOException, Http2Exception {
        int id = reader.streamId;
        if (id == 0) {
            throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, "HEADERS on stream 0 (section 6.2)");
        }
        if ((id & 1) == 0) {
            throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, "HEADERS on even stream " + id + " (section 5.1.1)");
        }
        if (skippedIds.contains(id)) {
            throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, "HEADERS opening stream " + id
                    + " after stream " + maxClientStreamId + " (section 5.1.1)");
        }
        if (assembly.headers(reader)) {
            headerBlockComplete();
        }
    }

    private void continuation() throws IOException, Http2Exception {
        if (assembly.continuation(reader)) {
            headerBlockComplete();
        }
    }

    private void headerBlockComplete() throws IOException, Http2Exception {
        boolean endStream = assembly.endsStream();
        int id = assembly.finish();
        HeaderBlock block = assembly.block;
        H2Stream existing = streams.get(id);
        boolean trailers = existing != null || id <= maxClientStreamId;
        var fields = new RequestFields(trailers);
        long listSize;
        try {
            listSize = decoder.decode(block.bytes, block.length, config.maxHeaderListSize(), fields);
        } catch (HpackException e) {
            throw Http2Exception.connection(ErrorCode.COMPRESSION_ERROR, e.getMessage() + " (RFC 7541)");
        } catch (RuntimeException e) {
            // A decoder bug that a crafted block reaches must still end in GOAWAY, not escape serve().
            throw Http2Exception.connection(ErrorCode.COMPRESSION_ERROR, "header block not decodable: " + e + " (RFC 7541)");
        }
        fields.complete();
        if (trailers) {
            trailers(id, existing, endStream, fields);
            return;
        }
        skippedIds.opened(maxClientStreamId, id);
        admission.lock();
        try {
            maxClientStreamId = id;
            if (goAwayLastId >= 0 || goAwaySent) {
                return; // section 6.8: a stream after our GOAWAY's last id is ignored
            }
            admit(id, endStream, fields, listSize);
        } catch (Http2Exception e) {
            if (e.streamId() == id && !endStream) {
                // Refused as it opened (over the limit, malformed): its body may be on its way.
                resetIds.add(id, openingWindow());
            }
            throw e;
        } finally {
            admission.unlock();
        }
    }

    /** A new stream, under {@code admission}: checked against the limits, then started on its task. */
    private void admit(int id, boolean endStream, RequestFields fields, long listSize) throws IOException, Http2Exception {
        if (assembly.dependsOnItself()) {
            throw Http2Exception.stream(id, ErrorCode.PROTOCOL_ERROR, "stream depends on itself (section 5.3.1)");
        }
        if (fields.malformed != null) {
            throw Http2Exception.stream(id, ErrorCode.PROTOCOL_ERROR, "malformed request: " + fields.malformed);
        }
        if (streams.size() >= config.maxConcurrentStreams()) {
            throw Http2Exception.stream(id, ErrorCode.REFUSED_STREAM,
                    "more than SETTINGS_MAX_CONCURRENT_STREAMS " + config.maxConcurrentStreams() + " (section 5.1.2)");
        }
        if (listSize > config.maxHeaderListSize()) {
            refuseHeaders(id, endStream);
            return;
        }
        if (endStream && fields.contentLength > 0) {
            throw Http2Exception.stream(id, ErrorCode.PROTOCOL_ERROR, "content-length " + fields.contentLength
                    + " on a request without body (section 8.1.1)");
        }
        var request = new HttpRequest(conn);
        long bodyLength = endStream ? 0 : fields.contentLength >= 0 ? fields.contentLength : -1;
        request.head().setHttp2(fields.method, fields.method.equals("CONNECT") ? fields.authority : fields.path, bodyLength);
        var headers = request.head().headers();
        for (int i = 0; i < fields.headers.size(); i++) {
            headers.add(fields.headers.name(i), fields.headers.value(i));
        }
        H2Stream s = newStream(id, request, fields.contentLength);
        if (endStream) {
            s.remoteEnded = true;
            s.input.end();
        } else if (fields.expectContinue) {
            s.input.beforeFirstRead(() -> sendContinue(s));
        }
        start(s, request);
    }

    private H2Stream newStream(int id, HttpRequest request, long declaredLength) {
        var input = new StreamInput(http.bodyReadTimeout().toNanos());
        var s = new H2Stream(id, peerInitialWindow, config.initialStreamWindow(), input);
        s.declaredLength = declaredLength;
        s.requestLine = request.method() + " " + request.target();
        s.trailers = request.trailers();
        input.consumption(n -> windows.consumed(s, n));
        streams.put(id, s);
        protocol.streamOpened();
        return s;
    }

    private void start(H2Stream s, HttpRequest request) {
        request.body(s.input);
        Thread t = server.startTask(new StreamTask(this, s, request));
        if (s.task == null) {
            s.task = t;
        }
    }

    /** Section 8.1: trailers end the stream; a second HEADERS without END_STREAM is malformed. */
    private void trailers(int id, H2Stream s, boolean endStream, RequestFields fields) throws Http2Exception {
        if (s != null ? s.isReset() : resetIds.charge(id, 0) == ResetStreamIds.Charge.IGNORE) {
            // Section 5.1: sent before our RST_STREAM reached the client; decoded, ignored, and
            // counted, since a client could send such blocks without end.
            if (controlFrames.exceeded()) {
                throw calm("too many header blocks on reset streams");
            }
            return;
        }
        if (s == null || s.remoteEnded && s.localEnded) {
            throw Http2Exception.connection(ErrorCode.STREAM_CLOSED, "HEADERS on closed stream " + id + " (section 5.1)");
        }
        if (s.remoteEnded) {
            throw Http2Exception.stream(id, ErrorCode.STREAM_CLOSED, "HEADERS after END_STREAM (section 5.1)");
        }
        if (!endStream) {
            throw Http2Exception.stream(id, ErrorCode.PROTOCOL_ERROR, "trailers without END_STREAM (section 8.1)");
        }
        if (fields.malformed != null) {
            throw Http2Exception.stream(id, ErrorCode.PROTOCOL_ERROR, "malformed trailers: " + fields.malformed);
        }
        if (s.declaredLength >= 0 && s.received != s.declaredLength) {
            throw Http2Exception.stream(id, ErrorCode.PROTOCOL_ERROR, "request body of " + s.received
                    + " bytes does not match content-length " + s.declaredLength + " (section 8.1.1)");
        }
        for (int i = 0; i < fields.headers.size(); i++) {
            s.trailers.add(fields.headers.name(i), fields.headers.value(i));
        }
        s.remoteEnded = true;
        s.input.end();
    }

    /**
     * What a client may send on a stream before hearing of it: our initial stream window, or the
     * RFC's default if it has not yet applied our SETTINGS.
     */
    private int openingWindow() {
        return Math.max(config.initialStreamWindow(), Frame.DEFAULT_WINDOW);
    }

    /**
     * A header list over our limit: 431, as Go answers, and the stream is done. Counted as a frame
     * we answer: HPACK lets a client repeat a large indexed field for a byte each, so a few bytes
     * buy a 431 and a reset outside the concurrency limit, which such streams never enter.
     */
    private void refuseHeaders(int id, boolean endStream) throws IOException, Http2Exception {
        if (controlFrames.exceeded()) {
            throw calm("too many requests refused for the size of their header list");
        }
        var out = new HeaderBlock(32);
        HpackEncoder.status(431, out);
        writer.headers(null, id, out, true, null, 0, -1);
        if (!endStream) {
            resetIds.add(id, openingWindow());
            writer.rstStream(id, ErrorCode.NO_ERROR);
        }
    }

    private void sendContinue(H2Stream s) {
        var out = new HeaderBlock(8);
        HpackEncoder.status(100, out);
        try {
            s.informational(() -> writer.headers(s, s.id, out, false, null, 0, -1));
        } catch (IOException e) {
            // the read that follows fails the same way
        }
    }

    /** h2c by Upgrade (RFC 7540 section 3.2): the request that asked becomes stream 1, half-closed. */
    private void startUpgradedStream() throws IOException, Http2Exception {
        String encoded = upgraded.header("HTTP2-Settings");
        byte[] payload;
        try {
            payload = Base64.getUrlDecoder().decode(encoded.trim());
        } catch (IllegalArgumentException e) {
            throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, "HTTP2-Settings is not base64url");
        }
        applySettings(payload, payload.length);
        admission.lock();
        try {
            maxClientStreamId = 1;
        } finally {
            admission.unlock();
        }
        upgraded.head().setHttp2(upgraded.method(), upgraded.target(), 0);
        H2Stream s = newStream(1, upgraded, -1);
        s.remoteEnded = true;
        s.input.end();
        start(s, upgraded);
    }

    private void priority() throws Http2Exception {
        int id = reader.streamId;
        if (id == 0) {
            throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, "PRIORITY on stream 0 (section 6.3)");
        }
        if (reader.length != 5) {
            throw Http2Exception.stream(id, ErrorCode.FRAME_SIZE_ERROR, "PRIORITY of " + reader.length + " bytes (section 6.3)");
        }
        if (controlFrames.exceeded()) {
            throw calm("too many PRIORITY frames");
        }
        if (Frames.int31(reader.payload, 0) == id) {
            throw Http2Exception.stream(id, ErrorCode.PROTOCOL_ERROR, "stream depends on itself (section 5.3.1)");
        }
        // Accepted and ignored: RFC 9113 deprecates the priority scheme.
    }

    private void rstStream() throws Http2Exception {
        int id = reader.streamId;
        if (reader.length != 4) {
            throw Http2Exception.connection(ErrorCode.FRAME_SIZE_ERROR, "RST_STREAM of " + reader.length + " bytes (section 6.4)");
        }
        if (id == 0 || id > maxClientStreamId) {
            throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, "RST_STREAM on idle stream " + id + " (section 6.4)");
        }
        H2Stream s = streams.get(id);
        if (s == null) {
            return;
        }
        // CVE-2023-44487: cancelling work we already started costs us, not the client.
        if (resets.exceeded()) {
            throw calm("more than " + config.maxResetsPerSecond() + " streams reset per second (rapid reset)");
        }
        cancel(s, Frames.int32(reader.payload, 0));
    }

    private void settings() throws IOException, Http2Exception {
        if (reader.streamId != 0) {
            throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, "SETTINGS on a stream (section 6.5)");
        }
        if ((reader.flags & Frame.FLAG_ACK) != 0) {
            if (reader.length != 0) {
                throw Http2Exception.connection(ErrorCode.FRAME_SIZE_ERROR, "SETTINGS ACK with a payload (section 6.5)");
            }
            return;
        }
        if (reader.length % 6 != 0) {
            throw Http2Exception.connection(ErrorCode.FRAME_SIZE_ERROR, "SETTINGS of " + reader.length + " bytes (section 6.5)");
        }
        if (controlFrames.exceeded()) {
            throw calm("too many SETTINGS frames");
        }
        applySettings(reader.payload, reader.length);
        writer.settingsAck();
    }

    private void applySettings(byte[] payload, int length) throws Http2Exception {
        for (int at = 0; at + 6 <= length; at += 6) {
            int id = (payload[at] & 0xFF) << 8 | payload[at + 1] & 0xFF;
            int value = Frames.int32(payload, at + 2);
            switch (id) {
                case Frame.SETTINGS_ENABLE_PUSH -> {
                    if (value != 0 && value != 1) {
                        throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, "SETTINGS_ENABLE_PUSH " + value + " (section 6.5.2)");
                    }
                }
                case Frame.SETTINGS_INITIAL_WINDOW_SIZE -> {
                    if (value < 0) {
                        throw Http2Exception.connection(ErrorCode.FLOW_CONTROL_ERROR,
                                "SETTINGS_INITIAL_WINDOW_SIZE above 2^31 - 1 (section 6.5.2)");
                    }
                    // Section 6.9.2: the change applies to every open stream's window.
                    long delta = (long) value - peerInitialWindow;
                    for (H2Stream s : streams.values()) {
                        if (!writer.creditStream(s, delta)) {
                            throw Http2Exception.connection(ErrorCode.FLOW_CONTROL_ERROR,
                                    "SETTINGS_INITIAL_WINDOW_SIZE overflows stream " + s.id + "'s window (section 6.9.2)");
                        }
                    }
                    peerInitialWindow = value;
                }
                case Frame.SETTINGS_MAX_FRAME_SIZE -> {
                    if (value < Frame.DEFAULT_MAX_FRAME_SIZE || value > Frame.MAX_ALLOWED_FRAME_SIZE) {
                        throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, "SETTINGS_MAX_FRAME_SIZE " + value
                                + " (section 6.5.2)");
                    }
                    writer.peerMaxFrameSize(value);
                }
                default -> {
                    // HEADER_TABLE_SIZE: our encoder keeps no dynamic table. MAX_CONCURRENT_STREAMS:
                    // we push nothing. MAX_HEADER_LIST_SIZE: advisory. Unknown ones are ignored.
                }
            }
        }
    }

    private void ping() throws IOException, Http2Exception {
        if (reader.length != 8) {
            throw Http2Exception.connection(ErrorCode.FRAME_SIZE_ERROR, "PING of " + reader.length + " bytes (section 6.7)");
        }
        if (reader.streamId != 0) {
            throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, "PING on a stream (section 6.7)");
        }
        if ((reader.flags & Frame.FLAG_ACK) != 0) {
            return;
        }
        if (controlFrames.exceeded()) {
            throw calm("too many PING frames");
        }
        writer.pingAck(Arrays.copyOf(reader.payload, 8));
    }

    private void goAway() throws Http2Exception {
        if (reader.streamId != 0) {
            throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, "GOAWAY on a stream (section 6.8)");
        }
        // The client opens no more streams; those in progress finish and it closes.
    }

    private void windowUpdate() throws Http2Exception {
        int id = reader.streamId;
        if (reader.length != 4) {
            throw Http2Exception.connection(ErrorCode.FRAME_SIZE_ERROR, "WINDOW_UPDATE of " + reader.length + " bytes (section 6.9)");
        }
        int increment = Frames.int31(reader.payload, 0);
        if (id == 0) {
            if (increment == 0) {
                throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, "WINDOW_UPDATE of 0 (section 6.9)");
            }
            if (!writer.creditConnection(increment)) {
                throw Http2Exception.connection(ErrorCode.FLOW_CONTROL_ERROR, "connection window above 2^31 - 1 (section 6.9.1)");
            }
            return;
        }
        if (id > maxClientStreamId) {
            throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, "WINDOW_UPDATE on idle stream " + id + " (section 5.1)");
        }
        H2Stream s = streams.get(id);
        if (s == null || s.isReset()) {
            // Credit for a stream we no longer send on: free for the client, so counted.
            if (controlFrames.exceeded()) {
                throw calm("too many WINDOW_UPDATE frames on closed streams");
            }
            return;
        }
        if (increment == 0) {
            throw Http2Exception.stream(id, ErrorCode.PROTOCOL_ERROR, "WINDOW_UPDATE of 0 (section 6.9)");
        }
        if (!writer.creditStream(s, increment)) {
            throw Http2Exception.stream(id, ErrorCode.FLOW_CONTROL_ERROR, "stream window above 2^31 - 1 (section 6.9.1)");
        }
    }

    private Http2Exception calm(String why) {
        return Http2Exception.connection(ErrorCode.ENHANCE_YOUR_CALM, why);
    }

    private void connectionError(Http2Exception e) {
        LOG.log(System.Logger.Level.DEBUG, () -> "HTTP/2 connection " + conn.remoteAddress() + " ends: " + e.getMessage());
        try {
            goAwaySent = true;
            // Section 6.8: the last stream id never goes up; after a graceful GOAWAY, streams
            // past its id were ignored, not processed, and the client may retry them.
            int last;
            admission.lock();
            try {
                last = goAwayLastId >= 0 ? goAwayLastId : maxClientStreamId;
            } finally {
                admission.unlock();
            }
            writer.goAway(last, e.code(), e.getMessage());
            // Lingering close: closing with the client's frames unread would answer them with
            // RST, which can destroy the GOAWAY before the client reads why.
            writer.shutdownOutput();
            long until = System.nanoTime() + LINGER_NANOS;
            lingerUntil = until;
            conn.setReadDeadline(until);
            reader.discardUntilEnd();
        } catch (IOException ignored) {
            // the client is gone, or the linger ended
        }
    }

    /** The reader is done: whatever still runs loses its stream; wait for the tasks to leave. */
    private void end() {
        reader.release();
        writer.wakeWaiters(true);
        for (H2Stream s : streams.values()) {
            cancel(s, ErrorCode.CANCEL);
        }
        conn.close();
        while (!streams.isEmpty()) {
            for (H2Stream s : streams.values()) {
                Thread t = s.task;
                try {
                    if (t != null) {
                        t.join(100);
                    } else {
                        Thread.sleep(1);
                    }
                } catch (InterruptedException e) {
                    // a forced close: the tasks were interrupted too; keep waiting for them to leave
                    close();
                }
            }
        }
    }

    // ---- called by stream tasks

    /** We end the stream with RST_STREAM {@code code}. Any thread. */
    void resetStream(H2Stream s, int code) {
        if (cancel(s, code)) {
            if (!s.remoteEnded) {
                resetIds.add(s.id, s.recvWindow.get());
            }
            try {
                writer.rstStream(s.id, code);
            } catch (IOException e) {
                // the connection is failing
            }
        }
    }

    /** Marks the stream reset and fails its reads and window waits; false if it already was. */
    private boolean cancel(H2Stream s, int code) {
        if (!s.reset(code)) {
            return false;
        }
        int dropped = s.input.fail(new StreamResetException(s.id, code));
        if (dropped > 0) {
            windows.giveBack(dropped);
        }
        writer.wakeWaiters(false);
        return true;
    }

    /** The stream's task is done: the stream leaves the table (and the concurrency count). */
    void streamEnded(H2Stream s) {
        int unread = s.input.fail(new StreamResetException(s.id, ErrorCode.NO_ERROR));
        if (unread > 0) {
            windows.giveBack(unread);
        }
        streams.remove(s.id);
        protocol.streamClosed();
        if (streams.isEmpty()) {
            if (draining) {
                finishIfDrained();
            } else {
                conn.setReadDeadline(System.nanoTime() + config.idleTimeout().toNanos());
                // Set, then check: a connection that began its lingering close meanwhile keeps
                // the linger's deadline, whichever of the two set theirs last.
                long linger = lingerUntil;
                if (linger != 0) {
                    conn.setReadDeadline(linger);
                }
            }
        }
    }
}
