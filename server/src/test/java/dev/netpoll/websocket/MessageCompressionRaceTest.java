package dev.netpoll.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CyclicBarrier;
import org.glassfish.tyrus.core.frame.Frame;
import org.junit.jupiter.api.Test;

/**
 * A session closed from another thread (idle sweep, shutdown) while its task inflates must not
 * break zlib state another session takes from the shared pool later, nor the task's own message.
 */
class MessageCompressionRaceTest {

    static final byte[] TEXT = "hello hello hello hello".getBytes(StandardCharsets.UTF_8);

    static Frame compressed(boolean fin, int opcode, byte[] payload) {
        return Frame.builder().fin(fin).rsv1(opcode != 0).opcode((byte) opcode).payloadData(payload)
                .payloadLength(payload.length).build();
    }

    /** Inflates one whole message on a fresh session: every pooled inflater must still work. */
    static void assertPoolIsSound() {
        for (int i = 0; i < 64; i++) {
            var fresh = new MessageCompression(1024, 1024);
            Frame out = fresh.inflate(compressed(true, 1, DeflateProtocolTest.compress(TEXT)));
            assertThat(fresh.failure()).as("failure after %d fresh sessions", i).isZero();
            assertThat(new String(out.getPayloadData(), StandardCharsets.UTF_8)).isEqualTo(new String(TEXT,
                    StandardCharsets.UTF_8));
        }
    }

    @Test
    void releaseFromAnotherThreadLeavesTheTasksMessageAlone() throws Exception {
        byte[] whole = DeflateProtocolTest.compress(TEXT);
        int half = whole.length / 2;
        var compression = new MessageCompression(1024, 1024);
        compression.inflate(compressed(false, 1, java.util.Arrays.copyOfRange(whole, 0, half)));
        Thread closer = Thread.ofPlatform().start(compression::releaseOutbound);
        closer.join();
        Frame rest = compression.inflate(compressed(true, 0, java.util.Arrays.copyOfRange(whole, half, whole.length)));
        assertThat(compression.failure()).isZero();
        assertThat(rest.getPayloadLength()).isPositive();
        compression.releaseInbound();
        assertPoolIsSound();
    }

    @Test
    void racingReleaseAndInflateNeverPoisonsThePool() throws Exception {
        byte[] message = DeflateProtocolTest.compress(TEXT);
        var barrier = new CyclicBarrier(2);
        for (int round = 0; round < 3000; round++) {
            var compression = new MessageCompression(1024, 1024);
            Thread closer = Thread.ofPlatform().start(() -> {
                await(barrier);
                compression.releaseOutbound();
            });
            await(barrier);
            try {
                compression.inflate(compressed(true, 1, message));
            } finally {
                closer.join();
                compression.releaseInbound();
            }
        }
        assertPoolIsSound();
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
