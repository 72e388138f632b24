package dev.netpoll.poll;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The monitor's reading of the poll task's progress (times in nanoseconds, period 10). */
class PollDebtTest {

    private static final long PERIOD = 10;

    @Test
    void aHandOffIsOwedUntilThePollTaskStartsAPollAfterIt() {
        var debt = new PollDebt();
        assertThat(debt.owed(PollProgress.idle(4))).isFalse();
        debt.handedOff(PollProgress.idle(4), 100);
        assertThat(debt.overdue(PollProgress.idle(4), 50, 105, PERIOD)).isFalse();
        assertThat(debt.overdue(PollProgress.idle(4), 50, 110, PERIOD))
                .as("no poll since the hand-off, one period on").isTrue();
        assertThat(debt.owed(PollProgress.busy(4))).as("awake but not polled yet").isTrue();
        debt.settle(PollProgress.busy(5));
        assertThat(debt.owed(PollProgress.idle(5))).isFalse();
    }

    /**
     * The lost wake-up this class exists for: the poll task polled for a first hand-off, went
     * idle, and was handed new readiness while every carrier was taken. Its poll for the first
     * must not settle the second, or the monitor would stop polling for it.
     */
    @Test
    void aPollForAnEarlierHandOffDoesNotSettleALaterOne() {
        var debt = new PollDebt();
        debt.handedOff(PollProgress.idle(4), 100);
        debt.handedOff(PollProgress.idle(5), 300);
        debt.settle(PollProgress.idle(5));
        assertThat(debt.owed(PollProgress.idle(5))).as("owed since the second hand-off").isTrue();
        assertThat(debt.overdue(PollProgress.idle(5), 200, 310, PERIOD)).isTrue();
        debt.settle(PollProgress.busy(6));
        assertThat(debt.owed(PollProgress.idle(6))).isFalse();
    }

    /**
     * On a clock too coarse to tell them apart, the task's last poll and the hand-off read the same
     * time. Settling by time then took that poll, made before the readiness, for one made after it.
     */
    @Test
    void aPollAtTheSameClockTickAsTheHandOffButBeforeItSettlesNothing() {
        var debt = new PollDebt();
        debt.handedOff(PollProgress.idle(7), 1_000);
        assertThat(debt.overdue(PollProgress.idle(7), 1_000, 1_000 + PERIOD, PERIOD))
                .as("the poll counted at the hand-off was not after it").isTrue();
    }

    /**
     * Read in one word, a woken task is never seen as both settled and idle: with the count it has
     * started polling, so it owes polls while it runs, and the monitor keeps its short period.
     */
    @Test
    void aTaskThatPolledAndIsStuckOutsideItsParkIsOverdueFromItsLastPoll() {
        var debt = new PollDebt();
        debt.handedOff(PollProgress.idle(2), 100);
        long stuck = PollProgress.busy(3); // polled, dispatched, yielded, no carrier since
        assertThat(debt.owed(stuck)).isTrue();
        assertThat(debt.overdue(stuck, 105, 114, PERIOD)).isFalse();
        assertThat(debt.overdue(stuck, 105, 115, PERIOD)).isTrue();
    }

    @Test
    void anIdleTaskWithNothingHandedOverOwesNothing() {
        var debt = new PollDebt();
        assertThat(debt.owed(PollProgress.idle(9))).isFalse();
        assertThat(debt.overdue(PollProgress.idle(9), 0, 1_000_000, PERIOD)).isFalse();
    }
}
