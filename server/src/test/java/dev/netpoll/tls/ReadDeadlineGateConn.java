package dev.netpoll.tls;

import dev.netpoll.poll.Conn;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real connection that remembers the read deadline it was last given and holds its
 * {@code n}th setReadDeadline call, before the deadline lands, until {@link #release()}: a window
 * in which another thread can set a deadline while the TLS layer is forwarding one of its own.
 */
final class ReadDeadlineGateConn extends ForwardingConn {

    private final AtomicInteger calls = new AtomicInteger();
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);
    private final int held;
    private volatile long readDeadline;

    ReadDeadlineGateConn(Conn plain, int held) {
        super(plain);
        this.held = held;
    }

    /** Opens when the held call has entered. */
    CountDownLatch entered() {
        return entered;
    }

    void release() {
        released.countDown();
    }

    long readDeadline() {
        return readDeadline;
    }

    @Override
    public void setReadDeadline(long deadlineNanos) {
        if (calls.incrementAndGet() == held) {
            entered.countDown();
            try {
                released.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        readDeadline = deadlineNanos;
        plain.setReadDeadline(deadlineNanos);
    }
}
