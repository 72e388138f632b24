package dev.netpoll.http2;

import dev.netpoll.http.DateCache;
import dev.netpoll.http.GzipEncoder;
import dev.netpoll.http.HttpConfig;
import dev.netpoll.http.HttpHeaders;
import dev.netpoll.http.HttpResponse;
import dev.netpoll.http.ResponseChannel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * A response on an HTTP/2 stream (RFC 9113 section 8.1): the head as a HEADERS frame, the body
 * as DATA frames no larger than the peer allows, END_STREAM on the last. The body is buffered up
 * to one frame; a response that fits is sent as HEADERS + DATA in one write with its
 * content-length, as HTTP/1.1 sends head and body together. Framing headers of HTTP/1.1
 * (Connection, Transfer-Encoding, Keep-Alive, Upgrade) are dropped: section 8.2.2 forbids them.
 *
 * <p>Owned by whichever thread holds the response's exchange, and by the stream's task for
 * {@link #finish}; the two never overlap (the exchange has ended before the task finishes).
 */
final class StreamOutput implements ResponseChannel {

    private final H2Stream stream;
    private final FrameWriter writer;
    private final HttpConfig config;
    private HttpResponse response;
    private boolean headRequest;
    private boolean committed;
    private boolean finished;
    private long written;
    private byte[] buffer = new byte[0];
    private int pos;
    private boolean acceptsGzip;
    /** The gzip coder of this response, decided at commit as on HTTP/1.1; null when sent identity-coded. */
    private GzipEncoder gzip;
    /** Whether this response is gzip-coded; decided at commit. */
    private boolean gzipCoded;
    /** Set by finish when trailer fields follow the body: the body's last frame does not end the stream then. */
    private boolean trailersFollow;

    StreamOutput(H2Stream stream, FrameWriter writer, HttpConfig config) {
        this.stream = stream;
        this.writer = writer;
        this.config = config;
    }

    @Override
    public void begin(HttpResponse response, boolean headRequest, boolean http10, boolean acceptsGzip) {
        this.response = response;
        this.headRequest = headRequest;
        this.acceptsGzip = acceptsGzip;
        endGzip();
        gzipCoded = false;
        committed = false;
        trailersFollow = false;
        finished = false;
        written = 0;
        pos = 0;
    }

    @Override
    public boolean isCommitted() {
        return committed;
    }

    @Override
    public boolean canSendTrailers() {
        return true;
    }

    @Override
    public boolean isHeadRequest() {
        return headRequest;
    }

    @Override
    public void discardBuffered() {
        if (committed) {
            throw new IllegalStateException("response already committed");
        }
        pos = 0;
        written = 0;
    }

    @Override
    public long bytesWritten() {
        return written;
    }

    private boolean sendsBody() {
        return response.sendsBody(headRequest);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (finished) {
            throw new IOException("response already finished");
        }
        stream.checkWritable();
        response.checkWithinLength(written, len);
        written += len;
        if (!sendsBody()) {
            return;
        }
        int frame = writer.peerMaxFrameSize();
        while (len > 0) {
            if (pos == frame) {
                send(false);
            }
            if (pos == buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.min(frame, Math.max(512, Math.max(buffer.length * 2, len))));
            }
            int n = Math.min(buffer.length - pos, len);
            System.arraycopy(b, off, buffer, pos, n);
            pos += n;
            off += n;
            len -= n;
        }
    }

    @Override
    public void flush() throws IOException {
        if (!finished) {
            send(false);
        }
    }

    @Override
    public void finish() throws IOException {
        if (finished) {
            return;
        }
        long declared = response.contentLength();
        if (declared >= 0 && written < declared && sendsBody()) {
            // END_STREAM would pass a short body off as complete; a reset says it is not.
            send(false);
            finished = true;
            throw new IOException("response body of " + written + " bytes is shorter than its Content-Length of " + declared);
        }
        var supplier = response.trailerFields();
        java.util.Map<String, String> trailers = supplier == null || headRequest ? null : supplier.get();
        if (trailers == null || trailers.isEmpty()) {
            send(true);
            finished = true;
            return;
        }
        // Section 8.1: the trailer section is a HEADERS frame after the DATA, and it ends the stream.
        trailersFollow = true;
        send(true);
        finished = true;
        var block = new HeaderBlock(32 + trailers.size() * 40);
        trailers.forEach((name, value) -> {
            if (dev.netpoll.http.TrailerFields.sendable(name, value)) {
                HpackEncoder.field(name.toLowerCase(Locale.ROOT), value, block);
            }
        });
        stream.checkWritable();
        stream.localEnded = true;
        writer.headers(stream, stream.id, block, true, null, 0, -1);
    }

    /** Sends the head if not yet sent and the buffered body; with {@code last}, ends the stream. */
    private void send(boolean last) throws IOException {
        // last: the body ends here (gzip finishes, the length is known); end: so does the stream.
        boolean end = last && !trailersFollow;
        // Every path below writes a frame; none may follow our own RST_STREAM (section 5.1).
        stream.checkWritable();
        byte[] data = buffer;
        int length = pos;
        pos = 0;
        boolean wasCommitted = committed;
        if (!committed) {
            if (!sendsBody()) {
                length = 0;
            }
            if (compressible(last)) {
                gzipCoded = true;
                if (!headRequest) {
                    gzip = new GzipEncoder(); // a HEAD answer is coded with no coder: it has no body
                }
            }
        }
        if (gzip != null) {
            data = gzip.encode(java.nio.ByteBuffer.wrap(buffer), 0, length, last);
            length = data.length;
            if (last) {
                gzip = null; // encode(last) ended the deflater
            }
        }
        if (!wasCommitted) {
            HeaderBlock block = head(last, length);
            committed = true;
            stream.finalHeadersNext();
            if (length == 0) {
                stream.localEnded |= end;
                writer.headers(stream, stream.id, block, end, null, 0, -1);
                return;
            }
            int n = writer.reserve(stream, length);
            stream.localEnded |= end && n == length;
            writer.headers(stream, stream.id, block, end && n == length, data, 0, n);
            sendData(data, n, length, end);
            return;
        }
        if (length == 0) {
            if (end) {
                stream.localEnded = true;
                writer.data(stream, data, 0, 0, true);
            }
            return;
        }
        sendData(data, 0, length, end);
    }

    /** Sends {@code data[from, to)} as DATA frames as the windows allow. */
    private void sendData(byte[] data, int from, int to, boolean last) throws IOException {
        while (from < to) {
            int n = writer.reserve(stream, to - from);
            stream.localEnded |= last && from + n == to;
            writer.data(stream, data, from, n, last && from + n == to);
            from += n;
        }
    }

    /** Whether to gzip this response: decided once, at commit, by the rules HTTP/1.1 follows. */
    private boolean compressible(boolean last) {
        return config.compression().codes(response, acceptsGzip, last ? written : response.contentLength());
    }

    /** The stream is done: a gzip coder cut short frees its deflater. */
    void endGzip() {
        if (gzip != null) {
            gzip.end();
            gzip = null;
        }
    }

    /** The response's header block: {@code :status}, the fields in lower case, date, server, content-length. */
    private HeaderBlock head(boolean last, int length) {
        int status = response.status();
        HttpHeaders headers = response.headers();
        var block = new HeaderBlock(64 + headers.size() * 40);
        HpackEncoder.status(status, block);
        for (int i = 0; i < headers.size(); i++) {
            String name = headers.name(i).toLowerCase(Locale.ROOT);
            if (RequestFields.isConnectionSpecific(name) || name.equals("content-length")) {
                continue;
            }
            HpackEncoder.field(name, headers.value(i), block);
        }
        if (!headers.contains("Date")) {
            HpackEncoder.field("date", new String(DateCache.now(), StandardCharsets.ISO_8859_1), block);
        }
        if (gzipCoded) {
            HpackEncoder.field("content-encoding", "gzip", block);
        }
        if (config.compression().varies(response)) {
            HpackEncoder.field("vary", "accept-encoding", block);
        }
        String server = config.serverHeader();
        if (server != null && !server.isEmpty() && !headers.contains("Server")) {
            HpackEncoder.field("server", server, block);
        }
        long declared = response.contentLength();
        if (gzipCoded) {
            if (last && !headRequest) { // a HEAD answer cannot know its GET's coded length
                HpackEncoder.field("content-length", Long.toString(length), block);
            }
        } else if (declared >= 0 && (status != 304 || declared > 0) && status >= 200 && status != 204) {
            HpackEncoder.field("content-length", Long.toString(declared), block);
        } else if (last && sendsBody()) {
            HpackEncoder.field("content-length", Long.toString(written), block);
        }
        return block;
    }
}
