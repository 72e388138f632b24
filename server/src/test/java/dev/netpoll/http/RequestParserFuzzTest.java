package dev.netpoll.http;

import static dev.netpoll.fuzz.FuzzCase.within;
import static dev.netpoll.http.ConnectionReplay.HEAD_REFUSALS;
import static dev.netpoll.http.ConnectionReplay.MAX_HEAD_SIZE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.netpoll.fuzz.Draw;
import dev.netpoll.fuzz.FuzzRun;
import dev.netpoll.http.ConnectionReplay.ReadRequest;
import dev.netpoll.http.ConnectionReplay.Transcript;
import dev.netpoll.http.PipelineGrammar.Pipeline;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Fuzzes the request-head path as the server runs it: {@link ConnInput#readHead} over a client
 * whose bytes arrive cut anywhere, into buffers small enough that heads straddle their end, then
 * {@link RequestParser}. Inputs come from {@link RequestHeadGrammar} and {@link PipelineGrammar},
 * and from edits of them ({@link ByteMutation}). README.md, "Fuzzing", says how to run it longer.
 */
class RequestParserFuzzTest {

    private static final List<String> DICTIONARY = List.of("\r\n", "\r\n\r\n", "Host: a\r\n", "Content-Length: 3\r\n",
            "Transfer-Encoding: chunked\r\n", "Transfer-Encoding: gzip, chunked\r\n", "Expect: 100-continue\r\n",
            "Connection: close\r\n", " HTTP/1.1\r\n", "HTTP/2.0", "HTTP/1.0", "GET ", "CONNECT ", "http://", "[::1]",
            "0\r\n\r\n", "GET / HTTP/1.1\r\nHost: b\r\n\r\n");

    @Test
    void aValidHeadIsReadAsItWasWritten(TestInfo test) {
        FuzzRun.of(test).forAll(trial -> {
            HeadSample sample = trial.draw("head", RequestParserFuzzTest::head);
            Transcript read = within(() -> ConnectionReplay.firstHead(sample.bytes(), Segments.whole()));
            if (sample.bytes().length > MAX_HEAD_SIZE) {
                assertThat(read.ending()).isEqualTo("head refused");
                assertThat(read.status()).isIn(414, 431);
            } else {
                assertThat(read.requests()).containsExactly(new ReadRequest(sample.expected(), "", List.of()));
            }
        });
    }

    @Test
    void aHeadIsReadTheSameWhenSplitAtEveryByteBoundary(TestInfo test) {
        FuzzRun.of(test).forAll(trial -> {
            byte[] bytes = trial.draw("head", RequestParserFuzzTest::headOrMutant).bytes();
            within(() -> {
                Transcript whole = ConnectionReplay.firstHead(bytes, Segments.whole());
                assertDocumented(whole);
                for (int at = 1; at < bytes.length; at++) {
                    Transcript read = ConnectionReplay.firstHead(bytes, Segments.splitAt(at));
                    assertThat(read.sameReading(whole)).as("split after byte %d: %s, whole: %s", at, read, whole).isTrue();
                    assertDocumented(read);
                }
                Transcript slowest = ConnectionReplay.firstHead(bytes, Segments.byteByByte());
                assertThat(slowest.sameReading(whole)).as("byte by byte: %s, whole: %s", slowest, whole).isTrue();
                return whole;
            });
        });
    }

    @Test
    void pipelinedRequestsAreReadOneForOneWhateverTheSegmentation(TestInfo test) {
        FuzzRun.of(test).forAll(trial -> {
            Pipeline pipeline = trial.draw("pipeline", PipelineGrammar::pipeline);
            Segments segments = trial.draw("segments", Segments::any);
            Transcript read = within(() -> ConnectionReplay.replay(pipeline.bytes(), segments));
            assertThat(read).isEqualTo(pipeline.expected());
        });
    }

    @Test
    void aMutatedPipelineIsReadTheSameWhateverTheSegmentation(TestInfo test) {
        FuzzRun.of(test).forAll(trial -> {
            byte[] stream = trial.draw("stream", random -> new WireBytes(
                    ByteMutation.edit(random, DICTIONARY, PipelineGrammar.pipeline(random).bytes()))).bytes();
            Segments segments = trial.draw("segments", Segments::any);
            Transcript whole = within(() -> ConnectionReplay.replay(stream, Segments.whole()));
            Transcript read = within(() -> ConnectionReplay.replay(stream, segments));
            assertDocumented(whole);
            assertDocumented(read);
            assertThat(read.sameReading(whole)).as("%s, whole: %s", read, whole).isTrue();
        });
    }

    private static HeadSample head(Random random) {
        return RequestHeadGrammar.head(random, 1L << 40);
    }

    /** A valid head one time in four, an edited one otherwise. */
    private static WireBytes headOrMutant(Random random) {
        byte[] head = head(random).bytes();
        return new WireBytes(Draw.weighted(random, 1, 3) == 0 ? head : ByteMutation.edit(random, DICTIONARY, head));
    }

    /** Refusals are only those the engine documents: a head's 4xx, 501 or 505; a body's 4xx. */
    private static void assertDocumented(Transcript read) {
        switch (read.ending()) {
            case "head refused" -> assertThat(read.status()).as("head refusal").isIn(HEAD_REFUSALS);
            case "body refused" -> assertThat(read.status()).as("body refusal").isBetween(400, 499);
            default -> assertThat(read.status()).isZero();
        }
    }
}
