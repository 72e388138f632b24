package dev.netpoll.poll;

/**
 * Whether the poll task owes a poll, and whether it is overdue; the platform thread's
 * book-keeping for {@link Poller}'s monitor.
 *
 * <p>The task owes a poll while it is not parked idle, and after a hand-off: the outer epoll
 * reporting the inner one ready, after which the platform thread unparks the task. A hand-off is
 * settled once the task has <em>started</em> a poll after it, that is once its
 * {@link PollProgress} count exceeds the count the platform thread read before the unpark: the
 * task publishes the count before calling {@code epoll_wait}, so a higher count means a poll that
 * began after the readiness was reported. Every hand-off moves the mark, not only the first: the
 * outer epoll is one-shot and only the task re-arms it, so a second hand-off means the task polled
 * for the first, went idle and was handed new readiness; settling that against a poll made for the
 * first would leave the new readiness with nobody to poll it while the task cannot run (every
 * carrier taken), and the outer epoll, disarmed, would report nothing more.
 *
 * <p>Owned by the platform thread; not thread-safe.
 */
final class PollDebt {

    private boolean handedOff;
    private long pollsAtHandOff;
    private long handOffNanos;

    /**
     * The platform thread is handing over readiness: {@code progress} and {@code now} were both
     * read before the unpark.
     */
    void handedOff(long progress, long now) {
        handedOff = true;
        pollsAtHandOff = PollProgress.polls(progress);
        handOffNanos = now;
    }

    /** Settles the hand-off if the task has started a poll since. */
    void settle(long progress) {
        if (handedOff && PollProgress.polls(progress) > pollsAtHandOff) {
            handedOff = false;
        }
    }

    /** True while a hand-off is unsettled or the task is not parked idle. */
    boolean owed(long progress) {
        return handedOff || !PollProgress.isIdle(progress);
    }

    /**
     * Whether the platform thread should poll for the task now: it owes a poll and has not
     * started one for {@code periodNanos}, counted from the unsettled hand-off, or else from its
     * last poll ({@code lastPollNanos}, which the task writes before publishing that poll's count,
     * so it is never older than the count read in {@code progress}).
     */
    boolean overdue(long progress, long lastPollNanos, long now, long periodNanos) {
        settle(progress);
        if (handedOff) {
            return now - handOffNanos >= periodNanos;
        }
        return !PollProgress.isIdle(progress) && now - lastPollNanos >= periodNanos;
    }
}
