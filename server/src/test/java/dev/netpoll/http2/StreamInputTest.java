package dev.netpoll.http2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A stream's request body as its reader sees it when the stream is reset around the data. */
class StreamInputTest {

    private static StreamInput input() {
        var input = new StreamInput(1_000_000_000L);
        input.consumption(n -> { });
        return input;
    }

    @Test
    void dataOfferedAfterAResetIsReportedDroppedSoItsWindowCanBeGivenBack() {
        var input = input();
        input.fail(new StreamResetException(1, ErrorCode.NO_ERROR));
        assertThat(input.offer(new byte[] {1, 2, 3}, 0, 3)).isFalse();
        assertThat(input.available()).isZero();
    }

    @Test
    void dataOfferedToALiveStreamIsKept() {
        var input = input();
        assertThat(input.offer(new byte[] {1, 2, 3}, 0, 3)).isTrue();
        assertThat(input.available()).isEqualTo(3);
    }

    @Test
    void aCompleteBodyDroppedUnreadByAResetFailsInsteadOfEndingCleanly() {
        var input = input();
        input.offer("abc".getBytes(StandardCharsets.US_ASCII), 0, 3);
        input.end();
        assertThat(input.fail(new StreamResetException(1, ErrorCode.CANCEL))).isEqualTo(3);
        assertThatThrownBy(input::read).isInstanceOf(StreamResetException.class);
    }

    @Test
    void aCompleteBodyReadBeforeTheResetStillEndsCleanly() throws IOException {
        var input = input();
        input.offer("abc".getBytes(StandardCharsets.US_ASCII), 0, 3);
        input.end();
        assertThat(input.readAllBytes()).hasSize(3);
        assertThat(input.fail(new StreamResetException(1, ErrorCode.CANCEL))).isZero();
        assertThat(input.read()).isEqualTo(-1);
    }

    @Test
    void anInterruptFlagLeftSetByAHandlerDoesNotFailAWaitForTheBody() throws Exception {
        // As an HTTP/1.1 body read (PollDesc's waits), the wait ignores the flag and sets it again.
        var input = input();
        var read = new java.util.concurrent.atomic.AtomicReference<Object>();
        var flagAfter = new java.util.concurrent.atomic.AtomicBoolean();
        Thread task = Thread.ofVirtual().start(() -> {
            Thread.currentThread().interrupt();
            try {
                read.set(new String(input.readAllBytes(), StandardCharsets.US_ASCII));
            } catch (Throwable e) {
                read.set(e);
            }
            flagAfter.set(Thread.currentThread().isInterrupted());
        });
        Thread.sleep(100); // the task waits for the body by now
        input.offer("abc".getBytes(StandardCharsets.US_ASCII), 0, 3);
        input.end();
        task.join(5_000);

        assertThat(read.get()).isEqualTo("abc");
        assertThat(flagAfter).isTrue();
    }
}
