package dev.netpoll.poll;

/**
 * Whether the poll task owes a poll for readiness the platform thread handed it, and since when;
 * the platform thread's book-keeping for {@link Poller}'s monitor.
 *
 * <p>A hand-off is the outer epoll reporting the inner one ready, after which the platform thread
 * unparks the poll task. The debt is settled once the poll task has polled at or after the latest
 * hand-off ({@code lastPoll}, which it writes at each poll and on waking). Every hand-off moves
 * the time, not only the first: the outer epoll is one-shot and only the poll task re-arms it, so
 * a second hand-off means the task polled for the first, went idle and was handed new readiness;
 * settling that against a poll made for the first would leave the new readiness with nobody to
 * poll it while the task cannot run (every carrier taken), and the outer epoll, disarmed, would
 * report nothing more.
 *
 * <p>Owned by the platform thread; not thread-safe.
 */
final class PollDebt {

    private boolean owed;
    private long since;

    /** The platform thread is handing over readiness; {@code now} is read before the unpark. */
    void handedOff(long now) {
        owed = true;
        since = now;
    }

    /** Settles the debt if the poll task has polled since the latest hand-off. */
    void settle(long lastPoll) {
        if (owed && lastPoll - since >= 0) {
            owed = false;
        }
    }

    boolean owed() {
        return owed;
    }

    /** The latest hand-off; meaningful while {@link #owed()}. */
    long since() {
        return since;
    }
}
