package dev.netpoll.runtime;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

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

    /**
     * Tasks named {@code prefix} followed by a sequence number. They inherit from the thread that
     * starts them as any thread does: the context class loader above all (Spring Boot's launcher
     * puts the application's on the thread that starts the server, and a request looking classes
     * up through it must find them; a virtual thread told not to inherit thread-locals gets the
     * system class loader instead).
     */
    public Tasks(String prefix) {
        this.factory = Thread.ofVirtual().name(prefix, 1).factory();
    }

    /** Starts {@code body} as a new task. */
    public Thread start(Runnable body) {
        return start(Runnable::run, body);
    }

    /**
     * Starts {@code body.accept(argument)} as a new task. For a task per connection: the body is
     * one shared object and the connection the argument, so the task's entry is one small object
     * (a lambda capturing both would be a second one per connection, kept for its whole life).
     */
    public <T> Thread start(Consumer<? super T> body, T argument) {
        Thread thread = factory.newThread(new Entry<>(this, body, argument));
        threads.add(thread);
        live.incrementAndGet();
        try {
            thread.start();
        } catch (RuntimeException | Error e) {
            ended(thread);
            throw e;
        }
        return thread;
    }

    private void ended(Thread thread) {
        threads.remove(thread);
        live.decrementAndGet();
    }

    /** A task's entry point: runs the body, then takes the task off the books. */
    private record Entry<T>(Tasks tasks, Consumer<? super T> body, T argument) implements Runnable {
        @Override
        public void run() {
            try {
                body.accept(argument);
            } finally {
                tasks.ended(Thread.currentThread());
            }
        }
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
