package dev.netpoll.poll;

/**
 * The poll task's progress as one word, so that the monitor reads how many polls the task has
 * started and whether it is parked idle in a single volatile read: {@code polls << 1 | idle}.
 *
 * <p>Two separate fields (a poll time and an idle flag) let the monitor pair a fresh time with a
 * stale flag as the task woke: it then saw a settled hand-off and an idle task and slept a whole
 * sweep period while the task, no longer idle, could not get a carrier. A count, unlike a time,
 * also cannot tie with the moment of a hand-off on a coarse clock.
 *
 * <p>Only the poll task writes the word (a restarted task continues the count of the one that
 * died); the platform thread reads it.
 */
final class PollProgress {

    private static final long IDLE = 1L;

    private PollProgress() {
    }

    /**
     * The word a task publishes when it is not idle: just before it starts poll number
     * {@code polls}, and with its last count when it wakes or dies.
     */
    static long busy(long polls) {
        return polls << 1;
    }

    /** The word a task publishes once it has armed the outer epoll and is about to park. */
    static long idle(long polls) {
        return polls << 1 | IDLE;
    }

    static long polls(long word) {
        return word >>> 1;
    }

    static boolean isIdle(long word) {
        return (word & IDLE) != 0;
    }
}
