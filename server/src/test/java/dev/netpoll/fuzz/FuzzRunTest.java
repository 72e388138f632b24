package dev.netpoll.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class FuzzRunTest {

    private static final Pattern SEED = Pattern.compile("-Dnetpoll\\.fuzz\\.seed=(-?\\d+) -Dnetpoll\\.fuzz\\.tries=1");

    @Test
    void aPropertyThatHoldsIsTriedAsOftenAsTheRunSays() {
        var drawn = new ArrayList<Integer>();
        new FuzzRun("P#holds", 1, 50).forAll(trial -> drawn.add(trial.draw("n", random -> random.nextInt())));
        assertThat(drawn).hasSize(50).doesNotHaveDuplicates();
    }

    @Test
    void theSameSeedDrawsTheSameInputs() {
        assertThat(drawnBy(new FuzzRun("P#same", 7, 20))).isEqualTo(drawnBy(new FuzzRun("P#same", 7, 20)))
                .isNotEqualTo(drawnBy(new FuzzRun("P#same", 8, 20)));
    }

    @Test
    void aFailureNamesThePropertyTheTryAndWhatWasDrawnAndItsSeedReplaysThatTryAlone() {
        AssertionError failure = catchThrowableOfType(AssertionError.class,
                () -> new FuzzRun("P#fails", 3, 200).forAll(trial -> {
                    int n = trial.draw("n", random -> random.nextInt(10));
                    assertThat(n).isNotEqualTo(7);
                }));
        assertThat(failure).hasMessageStartingWith("P#fails failed on try ").hasMessageContaining("  n = 7\n")
                .hasMessageContaining("-Dtest='P#fails'");
        assertThat(failure.getCause()).isInstanceOf(AssertionError.class).hasMessageContaining("7");

        Matcher replay = SEED.matcher(failure.getMessage());
        assertThat(replay.find()).isTrue();
        var drawn = new ArrayList<Integer>();
        new FuzzRun("P#fails", Long.parseLong(replay.group(1)), 1).forAll(trial -> drawn.add(trial.draw("n", random -> random.nextInt(10))));
        assertThat(drawn).containsExactly(7);
    }

    private static List<Integer> drawnBy(FuzzRun run) {
        var drawn = new ArrayList<Integer>();
        run.forAll(trial -> drawn.add(trial.draw("n", random -> random.nextInt())));
        return drawn;
    }
}
