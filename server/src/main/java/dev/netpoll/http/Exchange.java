package dev.netpoll.http;

import java.util.concurrent.locks.ReentrantLock;

/**
 * The lifetime of one request/response exchange on a connection, as the application sees it.
 * The handler may hand the request and response to other threads (async servlets, listeners);
 * once the exchange ends, whatever those threads still do with them fails fast with
 * {@link IllegalStateException}, so nothing written or read late reaches the next exchange on
 * the same connection, whose buffers and socket those objects would otherwise share.
 *
 * <p>Body reads and writes, and every change to the response's status, fields or length, run
 * between {@link #enter()} and {@link #exit()}; {@code lock} makes "the exchange is live" and
 * "the operation runs" one step, so the connection's task, which calls {@link #end()} when the
 * handler returns and only then sends what is left, never finds an application thread inside the
 * socket or a pooled buffer after it, nor a status changed under the head it is writing (a late
 * 204 over a buffered body would put that body where the client reads the next response).
 * {@code ended} is written once, by the connection's task.
 */
final class Exchange {

    private final ReentrantLock lock = new ReentrantLock();
    private volatile boolean ended;

    /** Starts a body operation or a change to the response; fails if the exchange has ended. */
    void enter() {
        lock.lock();
        if (ended) {
            lock.unlock();
            throw ended();
        }
    }

    void exit() {
        lock.unlock();
    }

    /**
     * Ends the exchange for the application. Returns false if an application thread is inside a
     * body operation right now: the connection cannot go on, since that thread still uses it.
     */
    boolean end() {
        ended = true;
        if (lock.tryLock()) {
            lock.unlock();
            return true;
        }
        return false;
    }

    boolean isEnded() {
        return ended;
    }

    /**
     * After {@link #end()} returned false and the connection was closed (which wakes a read or
     * write parked on it): waits up to {@code nanos} for the application thread to leave its
     * operation. True if it did; the connection's buffers may then go back to the pool.
     */
    boolean awaitExit(long nanos) {
        try {
            if (lock.tryLock(nanos, java.util.concurrent.TimeUnit.NANOSECONDS)) {
                lock.unlock();
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    private static IllegalStateException ended() {
        return new IllegalStateException("the request/response exchange has ended (completed, dispatched or timed out)");
    }
}
