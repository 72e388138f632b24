package dev.netpoll.tls;

import dev.netpoll.poll.Conn;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;

/**
 * A real connection that remembers the write deadline it was last given and, once
 * {@link #holdNextWrite()} is called, holds its next write until {@link #release()}: a window in
 * which another thread can act while the TLS layer is inside a write of its own.
 */
final class WriteGateConn extends ForwardingConn {

    private volatile long writeDeadline;
    private volatile CountDownLatch entered;
    private volatile CountDownLatch released;

    WriteGateConn(Conn plain) {
        super(plain);
    }

    /** Arms the gate; returns a latch that opens when a write has entered it. */
    CountDownLatch holdNextWrite() {
        released = new CountDownLatch(1);
        entered = new CountDownLatch(1);
        return entered;
    }

    void release() {
        released.countDown();
    }

    long writeDeadline() {
        return writeDeadline;
    }

    @Override
    public void setWriteDeadline(long deadlineNanos) {
        writeDeadline = deadlineNanos;
        plain.setWriteDeadline(deadlineNanos);
    }

    @Override
    public void write(ByteBuffer src) throws IOException {
        CountDownLatch gate = entered;
        if (gate != null) {
            entered = null;
            gate.countDown();
            try {
                released.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException();
            }
        }
        plain.write(src);
    }
}
