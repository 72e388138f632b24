package dev.netpoll.tls;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counts of finished handshakes by result, for the {@code netpoll.tls.handshakes{result}} metric:
 * failures of bad clients are counted here and logged at debug only.
 */
public final class HandshakeStats {

    /** How a handshake ended. */
    public enum Result {
        /** Completed. */
        SUCCESS,
        /** The peer sent something that is not TLS (a plain-HTTP request, say). */
        NOT_TLS,
        /** Not completed within the handshake timeout. */
        TIMEOUT,
        /** Refused by the engine (no common protocol or cipher, bad certificate) or the peer left. */
        FAILED;

        /** The metric's tag value. */
        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    private final LongAdder[] counts = new LongAdder[Result.values().length];

    HandshakeStats() {
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    void record(Result result) {
        counts[result.ordinal()].increment();
    }

    public long count(Result result) {
        return counts[result.ordinal()].sum();
    }
}
