package dev.netpoll.fuzz;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.function.ThrowingSupplier;

/** The time one fuzz case may take: far above what any takes, so reaching it means a hang. */
public final class FuzzCase {

    public static final Duration LIMIT = Duration.ofSeconds(10);

    private FuzzCase() {
    }

    /** Runs one case on a thread of its own, failing it if it has not ended within {@link #LIMIT}. */
    public static <T> T within(ThrowingSupplier<T> fuzzCase) {
        return assertTimeoutPreemptively(LIMIT, fuzzCase);
    }
}
