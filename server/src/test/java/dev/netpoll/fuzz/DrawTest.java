package dev.netpoll.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DrawTest {

    private final Random random = new Random(42);

    @Test
    void aRangeIsDrawnWholeWithItsEnds() {
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            seen.add(Draw.between(random, 3, 9));
        }
        assertThat(seen).containsExactlyInAnyOrder(3, 4, 5, 6, 7, 8, 9);
        assertThat(Draw.between(random, 5, 5)).isEqualTo(5);
        assertThat(Draw.between(random, 0, Integer.MAX_VALUE)).isBetween(0, Integer.MAX_VALUE);
    }

    @Test
    void aChoiceIsAsLikelyAsItsWeight() {
        int[] counts = new int[3];
        for (int i = 0; i < 10_000; i++) {
            counts[Draw.weighted(random, 6, 3, 1)]++;
        }
        assertThat(counts[0]).isBetween(5700, 6300);
        assertThat(counts[1]).isBetween(2700, 3300);
        assertThat(counts[2]).isBetween(800, 1200);
    }

    @Test
    void stringsAndListsKeepToTheirAlphabetAndSizes() {
        for (int i = 0; i < 500; i++) {
            assertThat(Draw.string(random, Draw.chars('a', 'c'), 1, 4)).matches("[abc]{1,4}");
            assertThat(Draw.list(random, 2, 3, r -> r.nextInt())).hasSizeBetween(2, 3);
            assertThat(Draw.bytes(random, 0, 2)).hasSizeLessThanOrEqualTo(2);
        }
    }
}
