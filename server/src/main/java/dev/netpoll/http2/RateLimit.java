package dev.netpoll.http2;

/**
 * Counts events per one-second window and says when a client passes its bound: the rapid-reset
 * and control-frame flood defences. A fixed window is coarse (a burst straddling two windows can
 * reach twice the bound) but needs two fields and no allocation. Owned by the reading task.
 */
final class RateLimit {

    private static final long WINDOW_NANOS = 1_000_000_000L;
    private final int perSecond;
    private long windowStart = System.nanoTime();
    private int count;

    RateLimit(int perSecond) {
        this.perSecond = perSecond;
    }

    /** Counts one event; true if it is over the bound. */
    boolean exceeded() {
        long now = System.nanoTime();
        if (now - windowStart >= WINDOW_NANOS) {
            windowStart = now;
            count = 0;
        }
        return ++count > perSecond;
    }
}
