package dev.netpoll.http2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netpoll.http2.ResetStreamIds.Charge;
import org.junit.jupiter.api.Test;

class ResetStreamIdsTest {

    /** Every stream a client may have open, reset in one round trip, is still remembered. */
    @Test
    void keepsTwiceTheConcurrentStreamsLatestResets() {
        var resets = new ResetStreamIds(100);
        for (int id = 1; id <= 2 * 300; id += 2) { // 300 resets
            resets.add(id, 1000);
        }
        int newest = 599;
        for (int i = 0; i < 200; i++) {
            assertThat(resets.charge(newest - 2 * i, 0)).as("reset %d", newest - 2 * i).isEqualTo(Charge.IGNORE);
        }
        assertThat(resets.charge(newest - 2 * 200, 0)).as("the 201st latest, forgotten").isEqualTo(Charge.NOT_RESET);
        assertThat(resets.charge(601, 0)).as("never reset").isEqualTo(Charge.NOT_RESET);
    }

    /** What the client may still have in flight is what the stream's window allowed when reset. */
    @Test
    void dataIsIgnoredUpToTheWindowLeftAtTheReset() {
        var resets = new ResetStreamIds(100);
        resets.add(3, 100);
        assertThat(resets.charge(3, 60)).isEqualTo(Charge.IGNORE);
        assertThat(resets.charge(3, 40)).isEqualTo(Charge.IGNORE);
        assertThat(resets.charge(3, 1)).isEqualTo(Charge.BEYOND_WINDOW);
        assertThat(resets.charge(3, 0)).as("an empty frame or a header block").isEqualTo(Charge.IGNORE);
        assertThat(resets.charge(5, 0)).isEqualTo(Charge.NOT_RESET);
    }

    /** An unbounded concurrency setting does not make an unbounded record. */
    @Test
    void neverKeepsMoreThanItsCap() {
        var resets = new ResetStreamIds(Integer.MAX_VALUE);
        int last = 0;
        for (int i = 0; i < ResetStreamIds.MAX + 10; i++) {
            last = 2 * i + 1;
            resets.add(last, 10);
        }
        assertThat(resets.charge(1, 0)).isEqualTo(Charge.NOT_RESET);
        assertThat(resets.charge(last, 0)).isEqualTo(Charge.IGNORE);
        assertThat(resets.charge(last - 2 * (ResetStreamIds.MAX - 1), 0)).as("the oldest kept").isEqualTo(Charge.IGNORE);
        assertThat(resets.charge(last - 2 * ResetStreamIds.MAX, 0)).as("one before it").isEqualTo(Charge.NOT_RESET);
    }
}
