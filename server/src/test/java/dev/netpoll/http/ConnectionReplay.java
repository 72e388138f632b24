package dev.netpoll.http;

import dev.netpoll.sys.NativeBufferPool;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads a client's whole byte stream the way {@link HttpConnection} does, without the handler
 * and the responses: head after head through the real {@link ConnInput} over a
 * {@link SegmentedConn}, each body through its framing class, until the stream ends, a request
 * does not keep the connection alive, or something is refused. The {@link Transcript} is what the
 * engine saw.
 */
final class ConnectionReplay {

    /** The most a head may be; the buffers are the size {@link HttpServer} would give it. */
    static final int MAX_HEAD_SIZE = 300;
    static final HttpConfig CONFIG = HttpConfig.DEFAULTS.toBuilder().maxHeadSize(MAX_HEAD_SIZE).build();
    /** Statuses a head may be refused with when nothing times out (408 needs a deadline). */
    static final Set<Integer> HEAD_REFUSALS = Set.of(400, 414, 417, 431, 501, 505);

    static final NativeBufferPool POOL = new NativeBufferPool(Integer.highestOneBit(MAX_HEAD_SIZE + 64) * 2, 8, "HTTP buffer");
    private static final RequestParser PARSER = new RequestParser(CONFIG.maxHeaderCount());

    private ConnectionReplay() {
    }

    /** One request read: its head, its body as ISO-8859-1 text, and its trailer fields. */
    record ReadRequest(ParsedHead head, String body, List<String> trailers) {

        @Override
        public String toString() {
            return head + " body " + JavaLiteral.of(body.getBytes(StandardCharsets.ISO_8859_1)) + " trailers " + trailers;
        }
    }

    /**
     * Requests read, and how reading ended: "end of stream", "closed after request", "head refused"
     * (status in {@code status}) or "body refused" (status in {@code status}).
     */
    record Transcript(List<ReadRequest> requests, String ending, int status) {

        /** Equal requests and ending; a refused head's status may depend on how much was buffered. */
        boolean sameReading(Transcript other) {
            return requests.equals(other.requests) && ending.equals(other.ending)
                    && (ending.equals("head refused") || status == other.status);
        }
    }

    static Transcript replay(byte[] stream, Segments segments) throws IOException {
        var input = new ConnInput(new SegmentedConn(stream, segments), POOL, CONFIG);
        var requests = new ArrayList<ReadRequest>();
        try {
            for (;;) {
                var head = new RequestHead();
                try {
                    if (!input.readHead(PARSER, head, () -> { })) {
                        return new Transcript(requests, "end of stream", 0);
                    }
                } catch (HttpException e) {
                    return new Transcript(requests, "head refused", e.status());
                }
                var trailers = new HttpHeaders();
                String body;
                try {
                    body = readBody(input, head, trailers);
                } catch (BodyException e) {
                    return new Transcript(requests, "body refused", e.status());
                }
                requests.add(new ReadRequest(ParsedHead.of(head), body, fields(trailers)));
                input.recycle();
                if (!head.keepAlive || head.closeAfter) {
                    return new Transcript(requests, "closed after request", 0);
                }
            }
        } finally {
            input.release();
        }
    }

    /** The first head of {@code stream} alone, or a transcript of no request if there is none. */
    static Transcript firstHead(byte[] stream, Segments segments) throws IOException {
        var input = new ConnInput(new SegmentedConn(stream, segments), POOL, CONFIG);
        var head = new RequestHead();
        try {
            if (!input.readHead(PARSER, head, () -> { })) {
                return new Transcript(List.of(), "end of stream", 0);
            }
            return new Transcript(List.of(new ReadRequest(ParsedHead.of(head), "", List.of())), "head read", 0);
        } catch (HttpException e) {
            return new Transcript(List.of(), "head refused", e.status());
        } finally {
            input.release();
        }
    }

    private static String readBody(ConnInput input, RequestHead head, HttpHeaders trailers) throws IOException {
        InputStream body;
        if (head.bodyLength == RequestHead.CHUNKED) {
            body = new ChunkedBody(input, CONFIG.maxBodySize(), CONFIG.maxHeadSize(), trailers, BodyStart.NONE);
        } else if (head.bodyLength > 0) {
            body = new FixedLengthBody(input, head.bodyLength, BodyStart.NONE);
        } else {
            return "";
        }
        var out = new ByteArrayOutputStream();
        byte[] buffer = new byte[97];
        int n;
        while ((n = body.read(buffer, 0, buffer.length)) >= 0) {
            out.write(buffer, 0, n);
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    static List<String> fields(HttpHeaders headers) {
        var fields = new ArrayList<String>();
        for (int i = 0; i < headers.size(); i++) {
            fields.add(headers.name(i) + ": " + headers.value(i));
        }
        return List.copyOf(fields);
    }
}
