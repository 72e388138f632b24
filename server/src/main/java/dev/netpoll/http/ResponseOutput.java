package dev.netpoll.http;

import dev.netpoll.sys.NativeBufferPool;
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
final class ResponseOutput extends OutputStream implements ResponseChannel {

    static final int HEAD_ROOM = 2048;
    // "\r\n" after a chunk plus the last chunk "0\r\n\r\n".
    private static final int TAIL_ROOM = 8;
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] LAST_CHUNK = {'0', '\r', '\n', '\r', '\n'};

    private final Conn conn;
    private final NativeBufferPool pool;
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
    // Whether the client accepts gzip (from the request); whether this response is being gzipped.
    private boolean acceptsGzip;
    private GzipEncoder gzip;
    // Whether this response is gzip-coded: decided at commit; a HEAD response is coded with no encoder.
    private boolean gzipCoded;

    ResponseOutput(Conn conn, NativeBufferPool pool, HttpConfig config) {
        this.conn = conn;
        this.pool = pool;
        this.config = config;
    }

    @Override
    public void begin(HttpResponse response, boolean headRequest, boolean http10, boolean acceptsGzip) {
        this.response = response;
        this.acceptsGzip = acceptsGzip;
        if (gzip != null) {
            gzip.end();
            gzip = null;
        }
        gzipCoded = false;
        this.headRequest = headRequest;
        this.http10 = http10;
        committed = false;
        chunked = false;
        closeDelimited = false;
        finished = false;
        written = 0;
        pos = HEAD_ROOM;
    }

    @Override
    public boolean isCommitted() {
        return committed;
    }

    @Override
    public boolean canSwitchProtocols() {
        return !http10;
    }

    @Override
    public boolean canSendTrailers() {
        return !http10;
    }

    /** Whether trailer fields follow the body: such a response is sent chunked, whatever its length. */
    private boolean trailersWanted() {
        return response.trailerFields() != null && !http10 && !headRequest;
    }

    /**
     * The last chunk with the trailer section (RFC 9112 section 7.1.2), asked of the supplier now
     * that the body has ended. Fields that frame or route the message are not ours to move into
     * a trailer (RFC 9110 section 6.5.1), and a name or value that would break the framing is
     * dropped rather than sent.
     */
    private byte[] lastChunk() {
        var supplier = response.trailerFields();
        java.util.Map<String, String> fields = supplier == null ? null : supplier.get();
        if (fields == null || fields.isEmpty()) {
            return LAST_CHUNK;
        }
        var out = new HeadBuilder(64 + fields.size() * 32);
        out.ascii("0").crlf();
        fields.forEach((name, value) -> {
            if (TrailerFields.sendable(name, value)) {
                out.latin1(name).ascii(": ").latin1(value).crlf();
            }
        });
        out.crlf();
        byte[] bytes = new byte[out.size()];
        out.asBuffer().get(0, bytes);
        return bytes;
    }

    @Override
    public boolean isHeadRequest() {
        return headRequest;
    }

    /** Whether the connection cannot carry another response after this one. */
    boolean closesConnection() {
        return closeDelimited || (response.closeRequested() && response.pendingUpgrade() == null);
    }

    @Override
    public long bytesWritten() {
        return written;
    }

    /** Drops the buffered body of an uncommitted response (for reset and error pages). */
    @Override
    public void discardBuffered() {
        if (committed) {
            throw new IllegalStateException("response already committed");
        }
        pos = HEAD_ROOM;
        written = 0;
    }

    private boolean sendsBody() {
        return response.sendsBody(headRequest);
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
        response.checkWithinLength(written, len);
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
    @Override
    public void finish() throws IOException {
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

    /** Writes the {@code 101} that switches the connection to {@code protocol} (an Upgrade token). */
    void writeSwitchingProtocols(String protocol) throws IOException {
        writeFully(ByteBuffer.wrap(("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: " + protocol
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
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
        if (!committed && !sendsBody()) {
            // Bytes written while the status still allowed a body (write, then setStatus(304)):
            // none may follow the head, or the client reads them as the next response.
            pos = HEAD_ROOM;
        }
        if (!committed && compressible(last)) {
            gzipCoded = true;
            if (headRequest) {
                // The compressed length is unknown without compressing what a GET would send:
                // the head states the coding and no length (RFC 9110 section 8.6 allows that).
                writeFully(head(false, -1).asBuffer());
                committed = true;
                return;
            }
            gzip = new GzipEncoder();
        }
        if (gzip != null) {
            sendCompressed(last);
            return;
        }
        if (gzipCoded) {
            return; // HEAD: the head is out, no body follows
        }
        int bodyLength = pos - HEAD_ROOM;
        int from = HEAD_ROOM;
        int to = pos;
        HeadBuilder head = null;
        if (!committed) {
            head = head(last, -1);
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
            if (last && !trailersWanted()) {
                ensureBuffer();
                buffer.put(to, LAST_CHUNK);
                to += LAST_CHUNK.length;
            }
        }
        if (head != null) {
            ensureBuffer();
            if (head.size() <= from) {
                from -= head.size();
                head.copyTo(buffer, from);
            } else {
                writeFully(head.asBuffer());
            }
        }
        if (to > from) {
            buffer.limit(to).position(from);
            conn.setWriteDeadline(System.nanoTime() + config.writeTimeout().toNanos());
            conn.write(pooled);
            buffer.clear();
        }
        pos = HEAD_ROOM;
        if (last && chunked && sendsBody() && trailersWanted()) {
            writeFully(ByteBuffer.wrap(lastChunk()));
        }
    }

    /** Whether this response is to be gzipped; decided once, at commit. */
    private boolean compressible(boolean last) {
        return config.compression().codes(response, acceptsGzip, last ? written : response.contentLength());
    }

    /** The gzip path: compressed slices, with a Content-Length when the whole body fits at once. */
    private void sendCompressed(boolean last) throws IOException {
        ensureBuffer();
        byte[] encoded = gzip.encode(buffer, HEAD_ROOM, pos - HEAD_ROOM, last);
        pos = HEAD_ROOM;
        var out = new java.io.ByteArrayOutputStream(encoded.length + 512);
        if (!committed) {
            HeadBuilder head = head(last, last ? encoded.length : -1);
            out.write(head.asBuffer().array(), 0, head.size());
            committed = true;
        }
        if (chunked) {
            if (encoded.length > 0) {
                out.writeBytes((Integer.toHexString(encoded.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.writeBytes(encoded);
                out.writeBytes(CRLF);
            }
            if (last) {
                out.writeBytes(lastChunk());
            }
        } else {
            out.writeBytes(encoded);
        }
        if (last) {
            gzip = null; // encode(last) ended the deflater
        }
        if (out.size() > 0) {
            writeFully(ByteBuffer.wrap(out.toByteArray()));
        }
    }

    private void writeFully(ByteBuffer bytes) throws IOException {
        conn.setWriteDeadline(System.nanoTime() + config.writeTimeout().toNanos());
        conn.write(bytes);
    }

    /**
     * Serializes the status line and header fields, deciding the framing. {@code compressedLength}
     * is the gzipped body's length when it is known (-1 otherwise); a gzipped response never
     * carries the declared (uncompressed) Content-Length.
     */
    private HeadBuilder head(boolean last, long compressedLength) {
        int status = response.status();
        HttpHeaders headers = response.headers();
        long declared = gzipCoded ? compressedLength : response.contentLength();
        boolean forbids = HttpStatus.forbidsBody(status);
        long length = -1;
        if (!forbids) {
            if (trailersWanted()) {
                chunked = true; // only a chunked body has room for trailer fields
            } else if (gzipCoded && compressedLength < 0) {
                if (headRequest) {
                    // no framing: no body follows
                } else if (http10) {
                    closeDelimited = true;
                } else {
                    chunked = true;
                }
            } else if (declared >= 0) {
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
        if (gzipCoded) {
            out.ascii("Content-Encoding: gzip").crlf();
        }
        if (config.compression().varies(response)) {
            out.ascii("Vary: Accept-Encoding").crlf();
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
        if (response.pendingUpgrade() != null) {
            out.ascii("Connection: Upgrade").crlf();
        } else if (closesConnection()) {
            out.ascii("Connection: close").crlf();
        } else if (http10) {
            out.ascii("Connection: keep-alive").crlf();
        }
        return out.crlf();
    }

    /** The connection is done: the buffer goes back and a gzip stream cut short frees its deflater. */
    void dispose() {
        if (gzip != null) {
            gzip.end();
            gzip = null;
        }
        release();
    }

    /** The connection is done but another thread may still use the buffer: drop it, unpooled. */
    void abandon() {
        pooled = null;
        buffer = null;
    }

    /** Drops the ended exchange's response: an idle connection keeps nothing of it. */
    void forgetResponse() {
        response = null;
    }

    /** Gives the buffer back to the pool; the connection is idle or done. */
    void release() {
        if (gzip != null && finished) {
            gzip.end();
            gzip = null;
        }
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
