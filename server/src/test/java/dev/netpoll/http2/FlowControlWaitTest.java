package dev.netpoll.http2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netpoll.sys.NativeBufferPool;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A stream task waiting for the peer's flow-control window to open. */
class FlowControlWaitTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void anInterruptFlagLeftSetByAHandlerDoesNotFailAWaitForTheWindow() throws Exception {
        // A handler may leave its interrupt flag set (PollDesc's socket waits ignore it): a body
        // written while the client's window is shut must still go out once the window opens,
        // and the flag must still be set afterwards for the handler's own code to see.
        var writer = new FrameWriter(new ScriptedConn(Integer.MAX_VALUE, 0), 10 * SECOND,
                new NativeBufferPool(16 * 1024, 4, "test batch"), Thread.ofVirtual()::start);
        var stream = new H2Stream(1, 0, 65_535, new StreamInput(SECOND)); // its send window is shut
        var taken = new AtomicInteger();
        var failure = new AtomicReference<Throwable>();
        var flagAfter = new AtomicBoolean();
        var waiting = new CountDownLatch(1);
        Thread task = Thread.ofVirtual().start(() -> {
            Thread.currentThread().interrupt();
            waiting.countDown();
            try {
                taken.set(writer.reserve(stream, 1000));
            } catch (Throwable e) {
                failure.set(e);
            }
            flagAfter.set(Thread.currentThread().isInterrupted());
        });
        waiting.await();
        Thread.sleep(100); // the task is parked on the shut window by now
        assertThat(writer.creditStream(stream, 1000)).isTrue();
        task.join(5_000);

        assertThat(failure.get()).isNull();
        assertThat(taken.get()).isEqualTo(1000);
        assertThat(flagAfter).isTrue();
    }
}
