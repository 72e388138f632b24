package dev.netpoll.http2;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/**
 * A stream is reset once: the client's RST_STREAM (the reader) racing our own reset (the stream's
 * task) must not both win, or we answer RST_STREAM with RST_STREAM, possibly twice.
 */
class H2StreamResetTest {

    @Test
    void exactlyOneOfTwoRacingResetsWins() throws Exception {
        int rounds = 20_000;
        var streams = new H2Stream[rounds];
        for (int i = 0; i < rounds; i++) {
            streams[i] = new H2Stream(1, 65_535, 65_535, new StreamInput(1));
        }
        var wins = new AtomicIntegerArray(rounds);
        // Lock-step rounds: both threads spin on the same go signal, so their resets of one stream overlap.
        var go = new AtomicInteger(1);
        var done = new AtomicInteger();
        Thread a = Thread.ofPlatform().start(() -> race(streams, wins, go, done, true));
        Thread b = Thread.ofPlatform().start(() -> race(streams, wins, go, done, false));
        a.join();
        b.join();
        int doubles = 0;
        for (int i = 0; i < rounds; i++) {
            assertThat(wins.get(i)).isPositive();
            if (wins.get(i) > 1) {
                doubles++;
            }
        }
        assertThat(doubles).as("streams reset twice").isZero();
    }

    private static void race(H2Stream[] streams, AtomicIntegerArray wins, AtomicInteger go, AtomicInteger done,
            boolean leader) {
        for (int i = 0; i < streams.length; i++) {
            while (go.get() <= i) {
                Thread.yield(); // not a pure spin: on one free core the other racer must get to run
            }
            if (streams[i].reset(ErrorCode.CANCEL)) {
                wins.incrementAndGet(i);
            }
            done.incrementAndGet();
            if (leader) {
                while (done.get() < 2 * (i + 1)) {
                    Thread.yield(); // not a pure spin: on one free core the other racer must get to run
                }
                go.set(i + 2);
            }
        }
    }
}
