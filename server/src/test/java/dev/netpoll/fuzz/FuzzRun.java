package dev.netpoll.fuzz;

import java.lang.reflect.Method;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.TestInfo;

/**
 * Runs a property: a check that must hold for whatever inputs its generators draw, tried
 * {@value #DEFAULT_TRIES} times in the normal build and as often as {@code -Dnetpoll.fuzz.tries=N}
 * says in a long run.
 *
 * <p>Each try draws from a {@link Random} of its own seed: the run's base seed plus the try's
 * number times {@link #SEED_STEP}, so try 0 draws from the base seed itself and any try can be
 * replayed alone. The base seed is the hash of the property's name, so the normal build draws the
 * same inputs every time; {@code -Dnetpoll.fuzz.seed=N} sets it, and {@code -Dnetpoll.fuzz.seed=random}
 * picks a new one per property, for long runs that look further.
 *
 * <p>The first failing try ends the run with an {@link AssertionError} that names the property,
 * the try and its seed, lists what the try drew, and gives the command that replays it; the
 * failure is its cause. Failing inputs are not shrunk: the grammars keep them small and the edits
 * few, and the seed replays them exactly.
 */
public final class FuzzRun {

    public static final String TRIES_PROPERTY = "netpoll.fuzz.tries";
    public static final String SEED_PROPERTY = "netpoll.fuzz.seed";
    public static final int DEFAULT_TRIES = 200;
    /** Spreads the tries' seeds over the 48 bits {@link Random} keeps (SplittableRandom's gamma). */
    static final long SEED_STEP = 0x9E3779B97F4A7C15L;

    private final String property;
    private final long seed;
    private final int tries;

    FuzzRun(String property, long seed, int tries) {
        if (tries < 1) {
            throw new IllegalArgumentException(TRIES_PROPERTY + " must be at least 1, was " + tries);
        }
        this.property = property;
        this.seed = seed;
        this.tries = tries;
    }

    /** A check of one property over one try's inputs. */
    @FunctionalInterface
    public interface Check {

        void run(Trial trial) throws Exception;
    }

    /** A run of the property the current test method states, with the tries and seed the build asks for. */
    public static FuzzRun of(TestInfo test) {
        String property = test.getTestClass().map(Class::getSimpleName).orElseThrow() + "#"
                + test.getTestMethod().map(Method::getName).orElseThrow();
        return new FuzzRun(property, baseSeed(property), tries());
    }

    /** Runs {@code check} once per try, each over a fresh {@link Trial}. */
    public void forAll(Check check) {
        for (int number = 0; number < tries; number++) {
            long trySeed = seed + number * SEED_STEP;
            var trial = new Trial(new Random(trySeed));
            try {
                check.run(trial);
            } catch (Exception | Error e) {
                // Errors too: a parser's StackOverflowError or OutOfMemoryError is a finding to replay.
                throw new AssertionError(report(number, trySeed, trial), e);
            }
        }
    }

    private String report(int number, long trySeed, Trial trial) {
        return property + " failed on try " + (number + 1) + " of " + tries + " (seed " + trySeed + "), drawing:\n"
                + trial.drawn() + "Replay that try alone with: ./mvnw -B -q -pl server verify -Dtest='" + property
                + "' -Dsurefire.failIfNoSpecifiedTests=false -D" + SEED_PROPERTY + "=" + trySeed + " -D" + TRIES_PROPERTY + "=1";
    }

    private static int tries() {
        String given = System.getProperty(TRIES_PROPERTY);
        return given == null || given.isBlank() ? DEFAULT_TRIES : Integer.parseInt(given.strip());
    }

    private static long baseSeed(String property) {
        String given = System.getProperty(SEED_PROPERTY);
        if (given == null || given.isBlank()) {
            return property.hashCode();
        }
        return given.equals("random") ? ThreadLocalRandom.current().nextLong() : Long.parseLong(given.strip());
    }
}
