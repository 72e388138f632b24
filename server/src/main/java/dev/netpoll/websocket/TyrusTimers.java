package dev.netpoll.websocket;

import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The scheduled executor Tyrus gets for its own idle timeouts and heartbeats (those an application
 * sets through the Jakarta API; the server's idle timeout is the container's sweep). Tyrus
 * reschedules its idle check after every message sent or received, even with no idle timeout set,
 * as a task due at once that then finds nothing to do. A task due now runs on the calling thread:
 * otherwise every message would take the queue's lock, shared by all sessions, and wake the worker.
 */
final class TyrusTimers extends ScheduledThreadPoolExecutor {

    TyrusTimers(ThreadFactory threads) {
        super(1, threads);
        setRemoveOnCancelPolicy(true);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        if (delay > 0) {
            return super.schedule(command, delay, unit);
        }
        command.run();
        return Ran.INSTANCE;
    }

    /** The future of a task that ran when it was scheduled. */
    private static final class Ran implements ScheduledFuture<Object> {

        static final Ran INSTANCE = new Ran();

        @Override
        public long getDelay(TimeUnit unit) {
            return 0;
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(0, other.getDelay(TimeUnit.NANOSECONDS));
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            return false;
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public boolean isDone() {
            return true;
        }

        @Override
        public Object get() {
            return null;
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            return null;
        }
    }
}
