package dev.netpoll.http;

import dev.netpoll.fuzz.Draw;
import dev.netpoll.http.ConnectionReplay.ReadRequest;
import dev.netpoll.http.ConnectionReplay.Transcript;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Several valid requests back to back on one connection (pipelining, RFC 9112 section 9.3.2),
 * each with the body its framing announces, and the {@link Transcript} the engine must read from
 * them: every request up to the first that does not keep the connection alive.
 */
final class PipelineGrammar {

    private PipelineGrammar() {
    }

    /** The bytes of a pipeline and what reading them must give. */
    record Pipeline(byte[] bytes, Transcript expected) {

        @Override
        public String toString() {
            return JavaLiteral.of(bytes);
        }
    }

    private record Request(HeadSample head, byte[] wireBody, String body, List<String> trailers) {
    }

    /** Two to eight requests. */
    static Pipeline pipeline(Random random) {
        return join(Draw.list(random, 2, 8, PipelineGrammar::request));
    }

    private static Request request(Random random) {
        HeadSample head;
        do {
            head = RequestHeadGrammar.head(random, 700);
        } while (head.bytes().length > ConnectionReplay.MAX_HEAD_SIZE);
        long length = head.expected().bodyLength();
        if (length == RequestHead.CHUNKED) {
            ChunkedSample chunked = ChunkedGrammar.encoding(random, 700);
            return new Request(head, chunked.encoded(), new String(chunked.data(), StandardCharsets.ISO_8859_1), chunked.trailers());
        }
        byte[] body = Draw.bytes(random, (int) length, (int) length);
        return new Request(head, body, new String(body, StandardCharsets.ISO_8859_1), List.of());
    }

    private static Pipeline join(List<Request> requests) {
        var out = new ByteArrayOutputStream();
        var read = new ArrayList<ReadRequest>();
        String ending = "end of stream";
        for (Request request : requests) {
            out.writeBytes(request.head.bytes());
            out.writeBytes(request.wireBody);
            ParsedHead head = request.head.expected();
            if (ending.equals("end of stream")) {
                read.add(new ReadRequest(head, request.body, request.trailers));
                if (!head.keepAlive()) {
                    ending = "closed after request";
                }
            }
        }
        return new Pipeline(out.toByteArray(), new Transcript(List.copyOf(read), ending, 0));
    }
}
