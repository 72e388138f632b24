package dev.netpoll.http;

import static dev.netpoll.fuzz.FuzzCase.within;
import static org.assertj.core.api.Assertions.assertThat;

import dev.netpoll.fuzz.Draw;
import dev.netpoll.fuzz.FuzzRun;
import dev.netpoll.http.ChunkedReference.Decoding;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Fuzzes {@link ChunkedBody} through the real {@link ConnInput} over a client whose bytes arrive
 * cut anywhere. Valid encodings from {@link ChunkedGrammar} must decode to their data; edited ones
 * must decode exactly as {@link ChunkedReference} does, or be refused with the same 4xx. Every
 * encoding is followed by the start of a next request, which must be left unread.
 */
class ChunkedBodyFuzzTest {

    private static final byte[] NEXT_REQUEST = "GET / HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
    private static final int MAX_TRAILER_SIZE = ConnectionReplay.MAX_HEAD_SIZE;
    private static final List<String> DICTIONARY = List.of("\r\n", "0\r\n\r\n", "0\r\n", ";", ";a=b", ";a=\"b\\\"c\"",
            "\"", "=", "fffffffffffffff", "1000000000000000", "1\r\nx\r\n", "X-T: v\r\n", "\r\n\r\n", " ", "\t");

    /** Limits for one case: a body limit (-1 for none) and a trailer-section limit. */
    record Limits(long maxBodySize, int maxTrailerSize) {
    }

    @Test
    void aValidEncodingDecodesToItsDataWhateverTheSegmentation(TestInfo test) {
        FuzzRun.of(test).forAll(trial -> {
            ChunkedSample sample = trial.draw("encoding", random -> ChunkedGrammar.encoding(random, 3000));
            Segments segments = trial.draw("segments", Segments::any);
            byte[] stream = followedByNextRequest(sample.encoded());
            Decoding decoded = within(() -> decode(stream, segments, new Limits(-1, MAX_TRAILER_SIZE)));
            assertThat(decoded).isEqualTo(new Decoding(sample.data(), sample.trailers(), sample.encoded().length, 0));
        });
    }

    @Test
    void aMutatedEncodingDecodesAsTheReferenceDoesWhateverTheSegmentation(TestInfo test) {
        FuzzRun.of(test).forAll(trial -> {
            byte[] bytes = trial.draw("stream", ChunkedBodyFuzzTest::mutant).bytes();
            Segments segments = trial.draw("segments", Segments::any);
            Limits limits = trial.draw("limits", ChunkedBodyFuzzTest::limits);
            Decoding decoded = within(() -> decode(bytes, segments, limits));
            if (decoded.status() != 0) {
                assertThat(decoded.status()).as("refusal").isBetween(400, 499);
            }
            assertThat(decoded).isEqualTo(ChunkedReference.decode(bytes, limits.maxBodySize(), limits.maxTrailerSize()));
        });
    }

    /** Reads the body to its end, then what is left for the next request. */
    private static Decoding decode(byte[] stream, Segments segments, Limits limits) throws IOException {
        var input = new ConnInput(new SegmentedConn(stream, segments), ConnectionReplay.POOL, ConnectionReplay.CONFIG);
        try {
            var trailers = new HttpHeaders();
            var body = new ChunkedBody(input, limits.maxBodySize(), limits.maxTrailerSize(), trailers, BodyStart.NONE);
            var data = new ByteArrayOutputStream();
            byte[] buffer = new byte[61];
            try {
                int n;
                while ((n = body.read(buffer, 0, buffer.length)) >= 0) {
                    data.write(buffer, 0, n);
                }
            } catch (BodyException e) {
                return Decoding.refused(e.status());
            }
            assertThat(body.finished()).isTrue();
            int left = 0;
            while (input.read() >= 0) {
                left++;
            }
            return new Decoding(data.toByteArray(), ConnectionReplay.fields(trailers), stream.length - left, 0);
        } finally {
            input.release();
        }
    }

    private static byte[] followedByNextRequest(byte[] encoded) {
        var out = new ByteArrayOutputStream();
        out.writeBytes(encoded);
        out.writeBytes(NEXT_REQUEST);
        return out.toByteArray();
    }

    private static WireBytes mutant(Random random) {
        byte[] stream = followedByNextRequest(ChunkedGrammar.encoding(random, 1500).encoded());
        return new WireBytes(ByteMutation.edit(random, DICTIONARY, stream));
    }

    /** Mostly the server's limits, sometimes small ones that the encoding may pass. */
    private static Limits limits(Random random) {
        long body = Draw.weighted(random, 3, 1) == 0 ? -1 : Draw.between(random, 0L, 2000L);
        int trailer = Draw.weighted(random, 3, 1) == 0 ? MAX_TRAILER_SIZE : Draw.between(random, 0, 64);
        return new Limits(body, trailer);
    }
}
