package dev.netpoll.http;

import dev.netpoll.sys.NativeBufferPool;
import dev.netpoll.poll.Conn;
import dev.netpoll.poll.DeadlineExceededException;
import java.io.IOException;
import dev.netpoll.sys.NativeBuffer;
import java.nio.ByteBuffer;
import java.util.function.BooleanSupplier;

/**
 * The read side of one connection: a buffer borrowed from the {@link NativeBufferPool} only while there
 * is something to read, the request-head reader with its size limit and timeouts, and the raw byte
 * source for body streams.
 *
 * <p>Buffered bytes are {@code buffer[start, end)}. Bytes left after a request (a pipelined next
 * request) keep the buffer; otherwise it goes back to the pool when a request ends, so an idle
 * keep-alive connection holds no buffer. Owned by the connection's task.
 */
final class ConnInput {

    private static final int MAX_EMPTY_LINES = 8;

    private final Conn conn;
    private final NativeBufferPool pool;
    private final HttpConfig config;
    private NativeBuffer pooled;
    // pooled.buffer() while pooled is held, else null.
    private ByteBuffer buffer;
    private int start;
    private int end;
    private boolean waitEndedByDeadline;

    ConnInput(Conn conn, NativeBufferPool pool, HttpConfig config) {
        this.conn = conn;
        this.pool = pool;
        this.config = config;
    }

    /**
     * Waits, holding no buffer, until bytes of the next request are buffered: false when the
     * client closed, the idle timeout passed or {@code stopWaiting} said so first. Called from the
     * top of the connection's loop, so an idle task parks with a shallow stack (its frames are
     * copied to the heap while it waits: each frame between the task's entry and the park is
     * paid for by every idle connection).
     */
    boolean awaitRequest(BooleanSupplier stopWaiting) throws IOException {
        waitEndedByDeadline = false;
        return hasBuffered() || awaitFirstBytes(stopWaiting);
    }

    /** Whether bytes of a next request are already buffered. */
    boolean hasBuffered() {
        return end > start;
    }

    /**
     * Reads and parses the next request head. Waits up to the idle timeout for its first byte,
     * then up to the head timeout for the rest. {@code onFirstByte} runs once the first byte of
     * the request has been read, not when the socket merely looked readable: only then is the
     * connection serving a request.
     *
     * @return false if the client closed (or the idle timeout passed) before sending a byte
     * @throws HttpException for a malformed or oversized head (408 when it stalled half-way)
     */
    boolean readHead(RequestParser parser, RequestHead head, Runnable onFirstByte) throws IOException {
        return readHead(parser, head, onFirstByte, () -> false);
    }

    /**
     * {@link #readHead(RequestParser, RequestHead, Runnable)} for a connection that another thread
     * may tell to stop waiting (graceful shutdown): it sets {@code stopWaiting} and then moves the
     * read deadline to now; checked here after our own deadline is set, so neither order loses it.
     */
    boolean readHead(RequestParser parser, RequestHead head, Runnable onFirstByte, BooleanSupplier stopWaiting)
            throws IOException {
        waitEndedByDeadline = false;
        // RFC 9112 section 2.2: empty lines before the request line are ignored (a client may
        // send an extra CRLF after a body). They do not start a request: a connection that got
        // only those goes back to waiting as an idle one. A few are tolerated, not a stream.
        int emptyLines = 0;
        for (;;) {
            if (!hasBuffered() && !awaitFirstBytes(stopWaiting)) {
                return false;
            }
            emptyLines = dropEmptyLines(emptyLines);
            if (hasBuffered()) {
                break;
            }
            recycle();
        }
        onFirstByte.run();
        conn.setReadDeadline(System.nanoTime() + config.headTimeout().toNanos());
        borrow();
        // How far past start the scan has looked without finding the end of the head. Relative
        // to start, because fill() may move the buffered bytes to index 0.
        int scannedPastStart = 0;
        for (;;) {
            // A CR that began the buffer may have been completed to an empty line by this read.
            int before = start;
            emptyLines = dropEmptyLines(emptyLines);
            scannedPastStart = Math.max(0, scannedPastStart - (start - before));
            int terminator = findHeadEnd(start + scannedPastStart);
            if (terminator >= 0) {
                int length = terminator - start;
                if (length > config.maxHeadSize()) {
                    throw tooLarge();
                }
                // A copy per request rather than a per-connection array: an idle connection
                // keeps nothing of its last request.
                byte[] headBytes = new byte[length];
                buffer.get(start, headBytes, 0, length);
                start = terminator;
                // Nothing after the head (no body bytes, no pipelined request): the buffer goes
                // back now, so a long request (async, a slow handler) holds none; a body read
                // borrows one again.
                recycle();
                parser.parse(headBytes, length, head);
                return true;
            }
            // The last three bytes may begin a CRLF CRLF that the next read completes.
            scannedPastStart = Math.max(0, end - start - 3);
            if (end - start >= config.maxHeadSize()) {
                throw tooLarge();
            }
            int n;
            try {
                n = fill();
            } catch (DeadlineExceededException e) {
                throw new HttpException(408, "request head not received within " + config.headTimeout());
            }
            if (n < 0) {
                throw new HttpException(400, "connection closed in the middle of the request head");
            }
        }
    }

    /**
     * Whether the client's first bytes are {@code prefix} (the HTTP/2 preface under prior
     * knowledge). Waits up to the idle timeout for the first byte, then up to the head timeout
     * for as many as the prefix has, and stops at the first byte that differs: the bytes read stay
     * buffered for {@link #readHead}. On a match the prefix is consumed.
     *
     * @return 1 on a match, 0 when the bytes differ, -1 if the client closed or the wait ended first
     */
    int matchPrefix(byte[] prefix, BooleanSupplier stopWaiting) throws IOException {
        waitEndedByDeadline = false;
        if (!hasBuffered() && !awaitFirstBytes(stopWaiting)) {
            return -1;
        }
        conn.setReadDeadline(System.nanoTime() + config.headTimeout().toNanos());
        for (;;) {
            int have = Math.min(end - start, prefix.length);
            for (int i = 0; i < have; i++) {
                if (buffer.get(start + i) != prefix[i]) {
                    return 0;
                }
            }
            if (have == prefix.length) {
                start += prefix.length;
                return 1;
            }
            int n;
            try {
                n = fill();
            } catch (DeadlineExceededException e) {
                return -1;
            }
            if (n < 0) {
                return -1;
            }
        }
    }

    /** Takes the buffered bytes out (for the protocol the connection is handed to) and gives the buffer back. */
    byte[] takeBuffered() {
        byte[] rest = new byte[end - start];
        if (rest.length > 0) {
            buffer.get(start, rest, 0, rest.length);
        }
        release();
        return rest;
    }

    /**
     * Drops whole CRLF pairs at the start of the buffered bytes, so that they cannot pass for the
     * empty line that ends a head. Returns how many were dropped so far in all.
     */
    private int dropEmptyLines(int dropped) {
        while (end - start >= 2 && buffer.get(start) == '\r' && buffer.get(start + 1) == '\n') {
            if (++dropped > MAX_EMPTY_LINES) {
                throw new HttpException(400, "more than " + MAX_EMPTY_LINES + " empty lines before the request line");
            }
            start += 2;
        }
        return dropped;
    }

    /**
     * Waits, holding no buffer, until the first bytes of a request are read into the buffer.
     * A wake-up without data (a stale edge, a spurious unpark) gives the buffer back and waits
     * again under the same idle deadline. Returns false at end of stream or the idle deadline.
     */
    private boolean awaitFirstBytes(BooleanSupplier stopWaiting) throws IOException {
        conn.setReadDeadline(System.nanoTime() + config.idleTimeout().toNanos());
        if (stopWaiting.getAsBoolean()) {
            conn.setReadDeadline(System.nanoTime());
        }
        for (;;) {
            boolean deadlinePassed = false;
            try {
                conn.awaitReadable();
            } catch (DeadlineExceededException e) {
                // A request may have arrived just as the deadline passed: it is served, not lost.
                deadlinePassed = true;
            }
            borrow();
            start = end = 0;
            buffer.clear();
            int n = conn.readNow(pooled);
            if (n > 0) {
                end = n;
                return true;
            }
            release();
            if (n < 0) {
                return false;
            }
            if (deadlinePassed) {
                waitEndedByDeadline = true;
                return false;
            }
        }
    }

    /**
     * Whether the last {@link #readHead} returned false because the server stopped waiting (idle
     * timeout, shutdown), rather than because the client closed: then the client may be about to
     * send, and the connection should close gently.
     */
    boolean waitEndedByDeadline() {
        return waitEndedByDeadline;
    }

    /**
     * Index just past CRLF CRLF in {@code buffer[from, end)}, or -1. A LF that no CR precedes is
     * refused at once rather than waited on (RFC 9112 section 2.2, we do not accept bare LF).
     */
    private int findHeadEnd(int from) {
        ByteBuffer b = buffer;
        for (int i = from; i < end; i++) {
            if (b.get(i) == '\n') {
                if (i == start || b.get(i - 1) != '\r') {
                    throw new HttpException(400, "bare LF in request head");
                }
                // Empty lines at the start were dropped before the scan (dropEmptyLines), so
                // CRLF CRLF here ends a head with a request line.
                if (i - 3 >= start && b.get(i - 2) == '\n' && b.get(i - 3) == '\r') {
                    return i + 1;
                }
            }
        }
        return -1;
    }

    /** 414 when the request line alone passes the limit, else 431 for the header block. */
    private HttpException tooLarge() {
        int lineEnd = -1;
        for (int i = start; i < end; i++) {
            if (buffer.get(i) == '\n' && i - start > 1) {
                lineEnd = i;
                break;
            }
        }
        if (lineEnd < 0 || lineEnd - start > config.maxHeadSize()) {
            return new HttpException(414, "request line longer than " + config.maxHeadSize() + " bytes");
        }
        return new HttpException(431, "request header block larger than " + config.maxHeadSize() + " bytes");
    }

    /** Reads more bytes from the connection after {@code end}, compacting first if needed. */
    private int fill() throws IOException {
        if (end == buffer.capacity()) {
            if (start == 0) {
                throw new IllegalStateException("input buffer full");
            }
            buffer.put(0, buffer, start, end - start);
            end -= start;
            start = 0;
        }
        buffer.limit(buffer.capacity()).position(end);
        int n = conn.read(pooled);
        if (n > 0) {
            end += n;
        }
        return n;
    }

    /**
     * Reads body bytes: buffered ones first, then from the connection under the body-read timeout.
     * Returns -1 at end of stream.
     */
    int read(byte[] into, int offset, int length) throws IOException {
        if (start == end && refill() < 0) {
            return -1;
        }
        int n = Math.min(length, end - start);
        buffer.get(start, into, offset, n);
        start += n;
        return n;
    }

    /** One byte of the body, or -1 at end of stream. */
    int read() throws IOException {
        if (start == end && refill() < 0) {
            return -1;
        }
        return buffer.get(start++) & 0xFF;
    }

    private void borrow() {
        if (pooled == null) {
            pooled = pool.acquire();
            buffer = pooled.buffer();
        }
    }

    private int refill() throws IOException {
        borrow();
        start = end = 0;
        conn.setReadDeadline(System.nanoTime() + config.bodyReadTimeout().toNanos());
        try {
            return fill();
        } catch (DeadlineExceededException e) {
            throw new BodyException(408, "request body stalled for " + config.bodyReadTimeout());
        }
    }

    /**
     * Reads for an upgraded connection ({@link UpgradedConn}): buffered bytes first (what the client
     * sent right behind its upgrade request), then the socket. Parks, when {@code block}, holding
     * no buffer; one is borrowed for the copy and given back as soon as it is drained. Returns the
     * bytes copied, 0 only when not blocking and nothing has arrived, -1 at end of stream.
     */
    int readUpgraded(byte[] into, int offset, int length, boolean block) throws IOException {
        while (start == end) {
            if (block) {
                conn.awaitReadable();
            }
            borrow();
            start = end = 0;
            buffer.clear();
            int n = conn.readNow(pooled);
            if (n <= 0) {
                release();
                if (n < 0) {
                    return -1;
                }
                if (!block) {
                    return 0;
                }
                continue;
            }
            end = n;
        }
        int n = Math.min(length, end - start);
        buffer.get(start, into, offset, n);
        start += n;
        if (start == end) {
            release();
        }
        return n;
    }

    /**
     * Parks, holding no buffer, until bytes arrive (or hands over the ones already buffered), then
     * lends them to {@code sink} as a view of the pooled buffer that is valid only during the call;
     * the buffer goes back right after. Returns the bytes lent, -1 at end of stream.
     */
    int lendUpgraded(UpgradedConn.Sink sink) throws IOException {
        while (start == end) {
            conn.awaitReadable();
            borrow();
            start = end = 0;
            buffer.clear();
            int n = conn.readNow(pooled);
            if (n > 0) {
                end = n;
                break;
            }
            release();
            if (n < 0) {
                return -1;
            }
        }
        int n = end - start;
        try {
            sink.accept(buffer.slice(start, n));
        } finally {
            release();
        }
        return n;
    }

    /**
     * Reads and discards until end of stream or {@code deadlineNanos}, for a lingering close.
     * The caller has shut the write side down; a deadline or reset ends it with an exception.
     */
    void discardUntilEnd(long deadlineNanos) throws IOException {
        conn.setReadDeadline(deadlineNanos);
        if (pooled == null) {
            // Most clients answer the FIN with their own; wait for that without holding a buffer.
            conn.awaitReadable();
        }
        borrow();
        do {
            start = end = 0;
        } while (fill() >= 0);
    }

    /** Ends a request: gives the buffer back unless a pipelined request is already in it. */
    void recycle() {
        if (pooled != null && start == end) {
            release();
        }
    }

    /** The connection is done but another thread may still use the buffer: drop it, unpooled. */
    void abandon() {
        pooled = null;
        buffer = null;
        start = end = 0;
    }

    /** The connection is done: the buffer goes back whatever it holds. */
    void release() {
        if (pooled != null) {
            pool.release(pooled);
            pooled = null;
            buffer = null;
        }
        start = end = 0;
    }
}
