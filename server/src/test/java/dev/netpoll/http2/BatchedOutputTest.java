package dev.netpoll.http2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netpoll.sys.NativeBufferPool;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Frames from many streams gathered into batches: each arrives whole and in its stream's order,
 * many leave per write, a header block larger than a batch is not cut by other frames, and a
 * connection with nothing to write holds no buffer.
 */
class BatchedOutputTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    record Parsed(int type, int flags, int streamId, byte[] payload) {
    }

    static List<Parsed> parse(byte[] wire) {
        List<Parsed> frames = new ArrayList<>();
        for (int at = 0; at < wire.length;) {
            assertThat(wire.length - at).as("a whole frame header at %d", at).isGreaterThanOrEqualTo(Frame.HEADER_LENGTH);
            int length = (wire[at] & 0xFF) << 16 | (wire[at + 1] & 0xFF) << 8 | wire[at + 2] & 0xFF;
            int streamId = Frames.int31(wire, at + 5);
            assertThat(wire.length - at - Frame.HEADER_LENGTH).as("a whole payload at %d", at).isGreaterThanOrEqualTo(length);
            frames.add(new Parsed(wire[at + 3], wire[at + 4], streamId,
                    Arrays.copyOfRange(wire, at + Frame.HEADER_LENGTH, at + Frame.HEADER_LENGTH + length)));
            at += Frame.HEADER_LENGTH + length;
        }
        return frames;
    }

    private static H2Stream stream(int id) {
        return new H2Stream(id, 1 << 30, 65_535, new StreamInput(SECOND));
    }

    @Test
    void framesOfConcurrentStreamsArriveWholeInOrderAndManyPerWrite() throws Exception {
        var conn = new ScriptedConn(Integer.MAX_VALUE, 2); // a slow socket: frames pile up behind each write
        var pool = new NativeBufferPool(16 * 1024, 4, "test batch");
        var writer = new FrameWriter(conn, 10 * SECOND, pool, Thread.ofVirtual()::start);
        int streams = 20;
        int framesPerStream = 50;
        List<Thread> tasks = new ArrayList<>();
        for (int s = 0; s < streams; s++) {
            H2Stream stream = stream(2 * s + 1);
            tasks.add(Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < framesPerStream; i++) {
                        // Sizes from 0 to a little over a kilobyte; the payload says which frame it is.
                        byte[] data = new byte[4 + (i * 37 + stream.id * 11) % 1200];
                        Frames.putInt32(data, 0, i);
                        Arrays.fill(data, 4, data.length, (byte) stream.id);
                        writer.data(stream, data, 0, data.length, i == framesPerStream - 1);
                    }
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }));
        }
        for (Thread t : tasks) {
            t.join();
        }
        writer.flush();

        Map<Integer, Integer> next = new HashMap<>();
        List<Parsed> frames = parse(conn.sent());
        assertThat(frames).hasSize(streams * framesPerStream);
        for (Parsed f : frames) {
            assertThat(f.type()).isEqualTo(Frame.DATA);
            int expected = next.getOrDefault(f.streamId(), 0);
            assertThat(Frames.int32(f.payload(), 0)).as("stream %d's frames in order", f.streamId()).isEqualTo(expected);
            assertThat(f.payload().length).isEqualTo(4 + (expected * 37 + f.streamId() * 11) % 1200);
            for (int i = 4; i < f.payload().length; i++) {
                assertThat(f.payload()[i]).isEqualTo((byte) f.streamId());
            }
            assertThat((f.flags() & Frame.FLAG_END_STREAM) != 0).isEqualTo(expected == framesPerStream - 1);
            next.put(f.streamId(), expected + 1);
        }
        assertThat(conn.writes.get()).as("writes for %d frames", frames.size()).isLessThan(frames.size() / 4);
        awaitNoBufferLent(pool);
    }

    @Test
    void aHeaderBlockLargerThanABatchIsNotCutByOtherFrames() throws Exception {
        var conn = new ScriptedConn(Integer.MAX_VALUE, 1);
        var pool = new NativeBufferPool(16 * 1024, 4, "test batch");
        var writer = new FrameWriter(conn, 10 * SECOND, pool, Thread.ofVirtual()::start);
        var block = new HeaderBlock(64);
        HpackEncoder.status(200, block);
        HpackEncoder.field("x-big", "v".repeat(50_000), block);
        H2Stream big = stream(1);
        Thread noise = Thread.ofVirtual().start(() -> {
            try {
                for (int i = 0; i < 200; i++) {
                    writer.windowUpdate(1);
                }
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        writer.headers(big, big.id, block, true, null, 0, -1);
        noise.join();
        writer.flush();

        List<Parsed> frames = parse(conn.sent());
        int first = -1;
        for (int i = 0; i < frames.size(); i++) {
            if (frames.get(i).type() == Frame.HEADERS) {
                first = i;
            }
        }
        assertThat(first).isNotNegative();
        int total = 0;
        int i = first;
        for (;; i++) {
            Parsed f = frames.get(i);
            assertThat(f.type()).as("frame %d after HEADERS", i - first).isEqualTo(i == first ? Frame.HEADERS : Frame.CONTINUATION);
            total += f.payload().length;
            if ((f.flags() & Frame.FLAG_END_HEADERS) != 0) {
                break;
            }
        }
        assertThat(total).isEqualTo(block.length);
        assertThat(frames).hasSize(200 + i - first + 1);
        awaitNoBufferLent(pool);
    }

    @Test
    void closingWithFramesPendingGivesTheBatchBackAndRefusesMore() throws Exception {
        var conn = new ScriptedConn(Integer.MAX_VALUE, 200); // the first write takes 200 ms
        var pool = new NativeBufferPool(16 * 1024, 4, "test batch");
        var writer = new FrameWriter(conn, 10 * SECOND, pool, Thread.ofVirtual()::start);
        writer.windowUpdate(1);
        Thread.sleep(50); // the flusher has taken the first batch and is inside its write
        writer.windowUpdate(2); // pending behind it
        writer.wakeWaiters(true);

        assertThatThrownBy(() -> writer.windowUpdate(3)).isInstanceOf(IOException.class).hasMessageContaining("closed");
        awaitNoBufferLent(pool);
        assertThat(parse(conn.sent())).hasSizeLessThanOrEqualTo(1);
    }

    @Test
    void aFrameStillBeingAppendedIsNotWrittenInHalvesWhenAWriteEnds() throws Exception {
        var conn = new ScriptedConn(Integer.MAX_VALUE, 200); // the first write takes 200 ms
        var pool = new NativeBufferPool(16 * 1024, 4, "test batch");
        var output = new BatchedOutput(conn, 10 * SECOND, pool, Thread.ofVirtual()::start, () -> { });
        assertThat(output.beginFrame()).isTrue();
        output.header(4, Frame.WINDOW_UPDATE, 0, 0);
        output.append(new byte[] {0, 0, 0, 1}, 0, 4);
        output.endFrame(); // the flusher starts and is inside its write
        Thread.sleep(50);
        assertThat(output.beginFrame()).isTrue();
        output.header(4, Frame.WINDOW_UPDATE, 0, 0); // a frame half appended...
        Thread.sleep(400); // ...when the first write ends and the flusher looks for more
        output.close(); // the connection goes before the frame's payload comes
        output.endFrame();

        assertThat(parse(conn.sent())).hasSize(1);
        awaitNoBufferLent(pool);
    }

    @Test
    void aWriterWithItsInterruptFlagSetWaitsForRoomLikeAnyOther() throws Exception {
        var conn = new ScriptedConn(Integer.MAX_VALUE, 100); // each write takes 100 ms: the second batch fills meanwhile
        var pool = new NativeBufferPool(16 * 1024, 4, "test batch");
        var writer = new FrameWriter(conn, 10 * SECOND, pool, Thread.ofVirtual()::start);
        H2Stream stream = stream(1);
        var flagAfter = new java.util.concurrent.atomic.AtomicBoolean();
        var failure = new java.util.concurrent.atomic.AtomicReference<Throwable>();
        Thread.ofVirtual().start(() -> {
            Thread.currentThread().interrupt(); // left set by a handler, as PollDesc's waits allow
            try {
                for (int i = 0; i < 5; i++) {
                    writer.data(stream, new byte[10_000], 0, 10_000, i == 4);
                }
            } catch (Throwable e) {
                failure.set(e);
            }
            flagAfter.set(Thread.currentThread().isInterrupted());
        }).join();
        writer.flush();

        assertThat(failure.get()).isNull();
        assertThat(flagAfter).isTrue();
        assertThat(conn.closed).isFalse();
        assertThat(parse(conn.sent())).hasSize(5);
    }

    @Test
    void framesAppendedAfterOurFinAreDroppedAndDoNotCloseTheLingeringConnection() throws Exception {
        // A drained connection sends FIN and keeps reading until the client closes; answering a
        // PING the client sends meanwhile would fail (EPIPE) and close the connection early.
        var conn = new ScriptedConn(Integer.MAX_VALUE, 0);
        var writer = new FrameWriter(conn, 10 * SECOND, new NativeBufferPool(16 * 1024, 4, "test batch"),
                Thread.ofVirtual()::start);
        writer.goAway(1, ErrorCode.NO_ERROR, null);
        writer.shutdownOutput();
        int before = conn.sent().length;

        writer.pingAck(new byte[8]);
        writer.settingsAck();
        writer.flush();

        assertThat(parse(conn.sent())).singleElement().satisfies(f -> assertThat(f.type()).isEqualTo(Frame.GOAWAY));
        assertThat(conn.sent()).hasSize(before);
        assertThat(conn.outputShut).isTrue();
        assertThat(conn.closed).isFalse();
    }

    @Test
    void afterOurFinAStreamsFramesFailAsAClientAbortAndItsWaitForWindowEnds() throws Exception {
        // A connection error sends GOAWAY and FIN while streams still run: their answers cannot
        // reach the client any more, and they must learn so rather than "succeed".
        var conn = new ScriptedConn(Integer.MAX_VALUE, 0);
        var writer = new FrameWriter(conn, 10 * SECOND, new NativeBufferPool(16 * 1024, 4, "test batch"),
                Thread.ofVirtual()::start);
        H2Stream stream = stream(1);
        var shut = new H2Stream(3, 0, 65_535, new StreamInput(SECOND)); // parked on a shut window
        var waitFailure = new java.util.concurrent.atomic.AtomicReference<Throwable>();
        Thread waiter = Thread.ofVirtual().start(() -> {
            try {
                writer.reserve(shut, 100);
            } catch (Throwable e) {
                waitFailure.set(e);
            }
        });
        Thread.sleep(100);
        writer.shutdownOutput();
        writer.shutdownOutput(); // a second caller (graceful drain and a connection error) does nothing

        assertThatThrownBy(() -> writer.data(stream, new byte[10], 0, 10, true))
                .isInstanceOf(dev.netpoll.http.ClientAbortException.class);
        waiter.join(5_000);
        assertThat(waitFailure.get()).isInstanceOf(dev.netpoll.http.ClientAbortException.class);
        assertThat(conn.sent()).isEmpty();
        assertThat(conn.closed).isFalse();
    }

    @Test
    void aFrameSpanningManyBatchesReachesASlowClientThatKeepsReading() throws Exception {
        // Each 16 KiB batch takes 60 ms; the frame needs 13 of them, far past the 300 ms timeout,
        // but every wait for room is short: the client is slow, not stalled.
        var conn = new ScriptedConn(Integer.MAX_VALUE, 60);
        var pool = new NativeBufferPool(16 * 1024, 4, "test batch");
        var writer = new FrameWriter(conn, TimeUnit.MILLISECONDS.toNanos(300), pool, Thread.ofVirtual()::start);
        H2Stream stream = stream(1);
        byte[] data = new byte[200_000];
        java.util.Arrays.fill(data, (byte) 7);

        writer.data(stream, data, 0, data.length, true);
        writer.flush();

        List<Parsed> frames = parse(conn.sent());
        assertThat(frames).hasSize(1);
        assertThat(frames.get(0).payload()).isEqualTo(data);
        assertThat(conn.closed).isFalse();
    }

    private static void awaitNoBufferLent(NativeBufferPool pool) throws InterruptedException {
        long deadline = System.nanoTime() + 5 * SECOND;
        while (pool.lent() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(pool.lent()).as("batch buffers still lent").isZero();
    }
}
