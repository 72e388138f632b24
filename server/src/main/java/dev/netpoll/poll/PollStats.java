package dev.netpoll.poll;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one transport, written from tasks and poller threads and read by the runtime
 * snapshot. Gauges (parked, registered) move up and down; the rest only count up. Adders keep
 * the hot path free of a contended cache line; a read sums them and so is not an atomic snapshot
 * across fields.
 */
public final class PollStats {

    private final LongAdder parkedRead = new LongAdder();
    private final LongAdder parkedWrite = new LongAdder();
    private final LongAdder parkedAccept = new LongAdder();
    final LongAdder waitCalls = new LongAdder();
    final LongAdder eventsDelivered = new LongAdder();
    final LongAdder wakeups = new LongAdder();
    final AtomicLong registered = new AtomicLong();
    final LongAdder monitorWakeups = new LongAdder();
    final LongAdder pollTaskRestarts = new LongAdder();

    void parked(WaitReason reason, int delta) {
        adder(reason).add(delta);
    }

    private LongAdder adder(WaitReason reason) {
        return switch (reason) {
            case READ -> parkedRead;
            case WRITE -> parkedWrite;
            case ACCEPT -> parkedAccept;
        };
    }

    /** Tasks parked right now waiting for {@code reason}. */
    public long parked(WaitReason reason) {
        return adder(reason).sum();
    }

    /** Calls of {@code epoll_wait} since the transport started (0 for nio). */
    public long waitCalls() {
        return waitCalls.sum();
    }

    /** Readiness events handed to descriptors (stale and wake-up events excluded). */
    public long eventsDelivered() {
        return eventsDelivered.sum();
    }

    /** Parked tasks the poller made runnable. */
    public long wakeups() {
        return wakeups.sum();
    }

    /**
     * Parked tasks the poller's platform thread readied itself because the poll task could not run
     * (no free carrier) for {@value Poller#MONITOR_MILLIS} ms; part of {@link #wakeups()}. A count
     * that keeps rising says the carriers are saturated or pinned.
     */
    public long monitorWakeups() {
        return monitorWakeups.sum();
    }

    /** Poll tasks that died on a failed system call and were restarted (0 when healthy). */
    public long pollTaskRestarts() {
        return pollTaskRestarts.sum();
    }

    /** Descriptors registered with the poller right now. */
    public long registered() {
        return registered.get();
    }
}
