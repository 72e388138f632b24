package dev.netpoll.bench;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The floor under a keep-alive request in a task-per-connection server on JDK virtual threads:
 * what one hand-over costs, a task unparking another and parking itself, on one carrier (as the
 * server runs when pinned to one core). A request costs at least one: the poll task readies the
 * connection's task, which runs and parks again in its next read. The C program this project
 * measures against spends no such step; its whole request is a read and a write in one loop.
 *
 * <p>Two tasks ping-pong {@value #ROUNDS} times per invocation; the score is per hand-over.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Djdk.virtualThreadScheduler.parallelism=1"})
public class TaskSwitchBenchmark {

    private static final int ROUNDS = 10_000;

    /** The task whose turn it is; written by the task handing over, read by both. */
    private volatile Thread turn;

    @Benchmark
    @OperationsPerInvocation(2 * ROUNDS)
    public void handOverOnOneCarrier() throws InterruptedException {
        Thread[] pair = new Thread[2];
        pair[0] = Thread.ofVirtual().unstarted(() -> play(pair, 0));
        pair[1] = Thread.ofVirtual().unstarted(() -> play(pair, 1));
        turn = pair[0];
        pair[1].start();
        pair[0].start();
        pair[0].join();
        pair[1].join();
    }

    private void play(Thread[] pair, int me) {
        Thread self = pair[me];
        Thread other = pair[1 - me];
        for (int i = 0; i < ROUNDS; i++) {
            while (turn != self) {
                LockSupport.park();
            }
            turn = other;
            LockSupport.unpark(other);
        }
    }
}
