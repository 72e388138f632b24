package dev.netpoll.runtime;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Starts tasks (Go's goroutines): named virtual threads, counted while alive.
 *
 * <p>The count is exact (an {@link AtomicLong}, not an adder): tests and graceful shutdown wait
 * for it to reach a value. Tasks start a few thousand times a second at most, so the shared
 * counter is not contended the way per-request counters would be.
 */
public final class Tasks {

    private final ThreadFactory factory;
    private final AtomicLong live = new AtomicLong();

    /** Tasks named {@code prefix} followed by a sequence number. */
    public Tasks(String prefix) {
        this.factory = Thread.ofVirtual().name(prefix, 1).factory();
    }

    /** Starts {@code body} as a new task. */
    public Thread start(Runnable body) {
        Thread thread = factory.newThread(() -> {
            try {
                body.run();
            } finally {
                live.decrementAndGet();
            }
        });
        live.incrementAndGet();
        try {
            thread.start();
        } catch (RuntimeException | Error e) {
            live.decrementAndGet();
            throw e;
        }
        return thread;
    }

    /** Tasks started and not yet finished. */
    public long live() {
        return live.get();
    }
}
