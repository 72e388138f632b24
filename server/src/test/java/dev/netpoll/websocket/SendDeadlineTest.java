package dev.netpoll.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SendDeadlineTest {

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    @Test
    void anInterruptedCallerStillTakesAFreeLockAndKeepsItsFlag() {
        var lock = new ReentrantLock();
        Thread.currentThread().interrupt();
        assertThat(SendDeadline.tryLock(lock, System.nanoTime() + TimeUnit.SECONDS.toNanos(1))).isTrue();
        assertThat(lock.isHeldByCurrentThread()).isTrue();
        assertThat(Thread.currentThread().isInterrupted()).isTrue();
    }

    @Test
    void anInterruptedCallerWaitsForABusyLockUntilTheDeadlineAndKeepsItsFlag() throws Exception {
        var lock = new ReentrantLock();
        var held = new CountDownLatch(1);
        var done = new CountDownLatch(1);
        Thread holder = Thread.ofVirtual().start(() -> {
            lock.lock();
            held.countDown();
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                lock.unlock();
            }
        });
        held.await();
        Thread.currentThread().interrupt();
        long start = System.nanoTime();
        assertThat(SendDeadline.tryLock(lock, start + TimeUnit.MILLISECONDS.toNanos(200))).isFalse();
        assertThat(System.nanoTime() - start).as("waited out the deadline").isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(190));
        assertThat(Thread.interrupted()).as("flag kept").isTrue();
        done.countDown();
        holder.join();
    }
}
