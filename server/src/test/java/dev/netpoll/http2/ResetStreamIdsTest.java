package dev.netpoll.http2;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ResetStreamIdsTest {

    /** Every stream a client may have open, reset in one round trip, is still remembered. */
    @Test
    void keepsTwiceTheConcurrentStreamsLatestResets() {
        var resets = new ResetStreamIds(100);
        for (int id = 1; id <= 2 * 300; id += 2) { // 300 resets
            resets.add(id);
        }
        int newest = 599;
        for (int i = 0; i < 200; i++) {
            assertThat(resets.contains(newest - 2 * i)).as("reset %d", newest - 2 * i).isTrue();
        }
        assertThat(resets.contains(newest - 2 * 200)).as("the 201st latest, forgotten").isFalse();
        assertThat(resets.contains(1)).isFalse();
        assertThat(resets.contains(601)).as("never reset").isFalse();
    }

    @Test
    void aFewResetsAreAllKept() {
        var resets = new ResetStreamIds(100);
        resets.add(3);
        resets.add(9);
        assertThat(resets.contains(3)).isTrue();
        assertThat(resets.contains(9)).isTrue();
        assertThat(resets.contains(5)).isFalse();
    }
}
