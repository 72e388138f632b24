package dev.netpoll.poll;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The monitor's record of readiness handed to the poll task (times in nanoseconds). */
class PollDebtTest {

    @Test
    void aHandOffIsOwedUntilThePollTaskPollsAfterIt() {
        var debt = new PollDebt();
        assertThat(debt.owed()).isFalse();
        debt.handedOff(100);
        debt.settle(90);
        assertThat(debt.owed()).as("a poll from before the hand-off settles nothing").isTrue();
        assertThat(debt.since()).isEqualTo(100);
        debt.settle(100);
        assertThat(debt.owed()).isFalse();
    }

    /**
     * The lost wake-up this class exists for: the poll task polled for a first hand-off, went
     * idle, and was handed new readiness while every carrier was taken. Its earlier poll must not
     * settle the new hand-off, or the monitor would stop polling for it.
     */
    @Test
    void aPollForAnEarlierHandOffDoesNotSettleALaterOne() {
        var debt = new PollDebt();
        debt.handedOff(100);
        debt.handedOff(300);
        debt.settle(200);
        assertThat(debt.owed()).as("owed since the second hand-off").isTrue();
        assertThat(debt.since()).isEqualTo(300);
        debt.settle(300);
        assertThat(debt.owed()).isFalse();
    }
}
