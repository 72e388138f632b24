package dev.netpoll.http;

import dev.netpoll.poll.Conn;
import java.io.IOException;
import java.io.OutputStream;
import dev.netpoll.sys.NativeBuffer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The write side of one response: buffers the body in a pooled direct buffer and decides the
 * framing when it must commit.
 *
 * <p>A response that fits the buffer is sent whole on {@link #finish} with a Content-Length: head
 * and body leave in one {@code write}, because the body starts at {@link #HEAD_ROOM} and the head
 * is written right-aligned into the room before it. A larger one commits when the buffer fills,
 * with the declared Content-Length, or chunked (HTTP/1.1), or delimited by closing (HTTP/1.0);
 * chunk framing is placed around the data the same way. HEAD responses and 1xx/204/304 count the
 * body but send none (RFC 9110 sections 9.3.2 and 6.4.1).
 *
 * <p>Owned by the connection's task; the buffer is borrowed per response and returned by
 * {@link #release()}.
 */
final class ResponseOutput extends OutputStream {

    static final int HEAD_ROOM = 2048;
    // "\r\n" after a chunk plus the last chunk "0\r\n\r\n".
    private static final int TAIL_ROOM = 8;
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] LAST_CHUNK = {'0', '\r', '\n', '\r', '\n'};

    private final Conn conn;
    private final BufferPool pool;
    private final HttpConfig config;
    private NativeBuffer pooled;
    // pooled.buffer() while pooled is held, else null.
    private ByteBuffer buffer;
    private int pos;

    // Per response, set by begin().
    private HttpResponse response;
    private boolean headRequest;
    private boolean http10;
    private boolean committed;
    private boolean chunked;
    private boolean closeDelimited;
    private boolean finished;
    private long written;

    ResponseOutput(Conn conn, BufferPool pool, HttpConfig config) {
        this.conn = conn;
        this.pool = pool;
        this.config = config;
    }

    void begin(HttpResponse response, boolean headRequest, boolean http10) {
        this.response = response;
        this.headRequest = headRequest;
        this.http10 = http10;
        committed = false;
        chunked = false;
        closeDelimited = false;
        finished = false;
        written = 0;
        pos = HEAD_ROOM;
    }

    boolean isCommitted() {
        return committed;
    }

    /** Whether the connection cannot carry another response after this one. */
    boolean closesConnection() {
        return closeDelimited || response.closeRequested();
    }

    long bytesWritten() {
        return written;
    }

    /** Drops the buffered body of an uncommitted response (for reset and error pages). */
    void discardBuffered() {
        if (committed) {
            throw new IllegalStateException("response already committed");
        }
        pos = HEAD_ROOM;
        written = 0;
    }

    private boolean sendsBody() {
        return !headRequest && !HttpStatus.forbidsBody(response.status());
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (finished) {
            throw new IOException("response already finished");
        }
        long declared = response.contentLength();
        if (declared >= 0 && written + len > declared) {
            throw new IOException("response body exceeds its Content-Length of " + declared);
        }
        written += len;
        if (!sendsBody()) {
            return;
        }
        ensureBuffer();
        while (len > 0) {
            int space = buffer.capacity() - TAIL_ROOM - pos;
            if (space == 0) {
                send(false);
                continue;
            }
            int n = Math.min(space, len);
            buffer.put(pos, b, off, n);
            pos += n;
            off += n;
            len -= n;
        }
    }

    /**
     * Commits and sends what is buffered; the response continues (chunked or fixed length). The
     * emptied buffer goes back to the pool: a streaming response (server-sent events) that waits
     * between flushes holds none; the next write borrows one again.
     */
    @Override
    public void flush() throws IOException {
        if (!finished) {
            send(false);
            release();
        }
    }

    /** Ends the response: sends the rest, the last chunk, and checks the declared length. */
    void finish() throws IOException {
        if (finished) {
            return;
        }
        send(true);
        finished = true;
        long declared = response.contentLength();
        if (declared >= 0 && written < declared && sendsBody()) {
            response.requestClose();
            throw new IOException("response body of " + written + " bytes is shorter than its Content-Length of " + declared);
        }
    }

    /** Writes "HTTP/1.1 100 Continue" ahead of the final response. */
    void sendContinue() throws IOException {
        if (!committed) {
            writeFully(ByteBuffer.wrap("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
        }
    }

    private void ensureBuffer() {
        if (pooled == null) {
            pooled = pool.acquire();
            buffer = pooled.buffer();
        }
    }

    private void send(boolean last) throws IOException {
        int bodyLength = pos - HEAD_ROOM;
        int from = HEAD_ROOM;
        int to = pos;
        byte[] head = null;
        if (!committed) {
            head = head(last);
            committed = true;
        }
        if (chunked && sendsBody()) {
            if (bodyLength > 0) {
                byte[] size = (Integer.toHexString(bodyLength) + "\r\n").getBytes(StandardCharsets.US_ASCII);
                from -= size.length;
                buffer.put(from, size);
                buffer.put(to, CRLF);
                to += 2;
            }
            if (last) {
                ensureBuffer();
                buffer.put(to, LAST_CHUNK);
                to += LAST_CHUNK.length;
            }
        }
        if (head != null) {
            ensureBuffer();
            if (head.length <= from) {
                from -= head.length;
                buffer.put(from, head);
            } else {
                writeFully(ByteBuffer.wrap(head));
            }
        }
        if (to > from) {
            buffer.limit(to).position(from);
            conn.setWriteDeadline(System.nanoTime() + config.writeTimeout().toNanos());
            conn.write(pooled);
            buffer.clear();
        }
        pos = HEAD_ROOM;
    }

    private void writeFully(ByteBuffer bytes) throws IOException {
        conn.setWriteDeadline(System.nanoTime() + config.writeTimeout().toNanos());
        conn.write(bytes);
    }

    /** Serializes the status line and header fields, deciding the framing. */
    private byte[] head(boolean last) {
        int status = response.status();
        HttpHeaders headers = response.headers();
        long declared = response.contentLength();
        boolean forbids = HttpStatus.forbidsBody(status);
        long length = -1;
        if (!forbids) {
            if (declared >= 0) {
                length = declared;
            } else if (last) {
                length = written;
            } else if (http10) {
                closeDelimited = true;
            } else {
                chunked = true;
            }
        }
        var out = new HeadBuilder(256 + headers.size() * 32);
        out.ascii("HTTP/1.1 ").number(status).ascii(" ").ascii(response.reason()).crlf();
        for (int i = 0; i < headers.size(); i++) {
            String name = headers.name(i);
            if (name.equalsIgnoreCase("Content-Length") || name.equalsIgnoreCase("Transfer-Encoding")
                    || name.equalsIgnoreCase("Connection")) {
                continue; // framing and persistence are ours to state
            }
            out.latin1(name).ascii(": ").latin1(headers.value(i)).crlf();
        }
        if (!headers.contains("Date")) {
            out.ascii("Date: ").bytes(DateCache.now()).crlf();
        }
        if (config.serverHeader() != null && !config.serverHeader().isEmpty() && !headers.contains("Server")) {
            out.ascii("Server: ").latin1(config.serverHeader()).crlf();
        }
        if (length >= 0 && (status != 304 || declared >= 0)) {
            out.ascii("Content-Length: ").number(length).crlf();
        } else if (chunked) {
            out.ascii("Transfer-Encoding: chunked").crlf();
        }
        if (closesConnection()) {
            out.ascii("Connection: close").crlf();
        } else if (http10) {
            out.ascii("Connection: keep-alive").crlf();
        }
        return out.crlf().toBytes();
    }

    /** Gives the buffer back to the pool; the connection is idle or done. */
    void release() {
        if (pooled != null) {
            pool.release(pooled);
            pooled = null;
            buffer = null;
        }
    }

    @Override
    public void close() throws IOException {
        flush();
    }
}
