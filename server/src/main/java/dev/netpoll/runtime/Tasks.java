package dev.netpoll.runtime;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
    /**
     * The live tasks themselves, for the goroutine dump (Go keeps {@code allgs} for the same
     * reason): no JDK API lists virtual threads ({@code Thread.getAllStackTraces} omits them).
     * An entry costs a few dozen bytes per connection, next to the kilobytes its task costs.
     */
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();

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
                threads.remove(Thread.currentThread());
                live.decrementAndGet();
            }
        });
        threads.add(thread);
        live.incrementAndGet();
        try {
            thread.start();
        } catch (RuntimeException | Error e) {
            threads.remove(thread);
            live.decrementAndGet();
            throw e;
        }
        return thread;
    }

    /** The tasks alive now (a weakly consistent copy: tasks that start or end meanwhile may be missed). */
    public List<Thread> threads() {
        return List.copyOf(threads);
    }

    /** Tasks started and not yet finished. */
    public long live() {
        return live.get();
    }
}
