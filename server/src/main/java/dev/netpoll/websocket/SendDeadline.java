package dev.netpoll.websocket;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/** Lock waits bounded by an asynchronous send's deadline ({@link System#nanoTime}). */
final class SendDeadline {

    private SendDeadline() {
    }

    /** Takes {@code lock} if it comes free before {@code deadlineNanos}; false if it does not. */
    static boolean tryLock(ReentrantLock lock, long deadlineNanos) throws IOException {
        try {
            return lock.tryLock(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting to send");
        }
    }
}
