package dev.netpoll.http2;

import dev.netpoll.poll.DeadlineExceededException;
import dev.netpoll.poll.OfflineConn;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A connection for the writer's tests: records what is written, takes the first {@code budget}
 * bytes and then times out as a stalled socket does, and can take its time over every write (a
 * slow socket) so that frames pile up behind a write in progress.
 */
final class ScriptedConn extends OfflineConn {

    /** Guarded by itself. */
    final ByteArrayOutputStream sent = new ByteArrayOutputStream();
    final AtomicInteger writes = new AtomicInteger();
    volatile int budget;
    private final long writeMillis;
    volatile boolean closed;
    /** Our FIN went out: a write now fails, as the kernel's does (EPIPE). */
    volatile boolean outputShut;
    /** When set, every write throws it: a defect of ours in the write path, not the client going away. */
    volatile RuntimeException defect;

    ScriptedConn(int budget, long writeMillis) {
        this.budget = budget;
        this.writeMillis = writeMillis;
    }

    byte[] sent() {
        synchronized (sent) {
            return sent.toByteArray();
        }
    }

    @Override
    public void write(ByteBuffer src) throws IOException {
        if (closed) {
            throw new IOException("closed");
        }
        if (outputShut) {
            throw new IOException("write: EPIPE (Broken pipe)");
        }
        writes.incrementAndGet();
        if (defect != null) {
            throw defect;
        }
        if (writeMillis > 0) {
            try {
                Thread.sleep(writeMillis);
            } catch (InterruptedException e) {
                throw new java.io.InterruptedIOException();
            }
        }
        synchronized (sent) {
            while (src.hasRemaining()) {
                if (budget == 0) {
                    throw new DeadlineExceededException("write");
                }
                sent.write(src.get());
                budget--;
            }
        }
    }

    @Override
    public void write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        for (int i = offset; i < offset + length; i++) {
            write(srcs[i]);
        }
    }

    @Override
    public void shutdownOutput() {
        outputShut = true;
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    @Override
    public int read(ByteBuffer dst) {
        return -1;
    }
}
