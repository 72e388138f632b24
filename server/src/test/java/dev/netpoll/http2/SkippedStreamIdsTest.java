package dev.netpoll.http2;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SkippedStreamIdsTest {

    @Test
    void aClientCountingUpByTwoSkipsNothing() {
        var skipped = new SkippedStreamIds();
        for (int id = 1, previous = 0; id < 99; previous = id, id += 2) {
            skipped.opened(previous, id);
        }
        for (int id = 1; id < 99; id++) {
            assertThat(skipped.contains(id)).as("id %d", id).isFalse();
        }
    }

    @Test
    void theIdsBetweenTwoOpenedStreamsAreSkipped() {
        var skipped = new SkippedStreamIds();
        skipped.opened(0, 5);
        skipped.opened(5, 7);
        skipped.opened(7, 13);
        assertThat(skipped.contains(1)).isTrue();
        assertThat(skipped.contains(3)).isTrue();
        assertThat(skipped.contains(5)).as("opened").isFalse();
        assertThat(skipped.contains(7)).as("opened").isFalse();
        assertThat(skipped.contains(9)).isTrue();
        assertThat(skipped.contains(11)).isTrue();
        assertThat(skipped.contains(13)).as("opened").isFalse();
        assertThat(skipped.contains(15)).as("not reached yet").isFalse();
    }

    @Test
    void onlyTheLatestRangesAreKept() {
        var skipped = new SkippedStreamIds();
        int previous = 1;
        for (int i = 0; i < SkippedStreamIds.MAX_RANGES + 10; i++) {
            int id = previous + 4; // skips previous + 2
            skipped.opened(previous, id);
            previous = id;
        }
        assertThat(skipped.contains(3)).as("the first range, forgotten").isFalse();
        assertThat(skipped.contains(previous - 2)).as("the latest range").isTrue();
        assertThat(skipped.contains(previous - 4 * (SkippedStreamIds.MAX_RANGES - 1) - 2)).as("the oldest kept").isTrue();
        assertThat(skipped.contains(previous - 4 * SkippedStreamIds.MAX_RANGES - 2)).as("one before it").isFalse();
    }
}
