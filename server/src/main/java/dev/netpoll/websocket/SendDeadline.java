package dev.netpoll.websocket;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/** Lock waits bounded by an asynchronous send's deadline ({@link System#nanoTime}). */
final class SendDeadline {

    private SendDeadline() {
    }

    /**
     * Takes {@code lock} if it comes free before {@code deadlineNanos}; false if it does not.
     * Interrupts do not cut the wait short, as they do not for the untimed sends, which take
     * their locks uninterruptibly: a caller whose interrupt flag happens to be set (an
     * application thread) would otherwise fail every timed send. The flag is kept for the caller.
     */
    static boolean tryLock(ReentrantLock lock, long deadlineNanos) {
        if (lock.tryLock()) {
            return true;
        }
        boolean interrupted = false;
        try {
            for (;;) {
                try {
                    return lock.tryLock(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true; // the flag is clear now: the next try waits
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
