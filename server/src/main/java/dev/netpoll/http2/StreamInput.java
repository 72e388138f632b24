package dev.netpoll.http2;

import dev.netpoll.http.BodyException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A request body arriving in DATA frames: the reading task appends copies of their data, the
 * stream's task (or whoever the application handed the request to) reads them. Flow control
 * bounds what can pile up here to the window we granted; what is read is given back to the
 * client through {@link Consumption}, which sends WINDOW_UPDATE only once enough has been read
 * that a small read does not cost a frame.
 *
 * <p>{@code lock} guards the chunk queue and the end/failure state; a read parks on
 * {@code arrived} up to the body read timeout.
 */
final class StreamInput extends InputStream {

    /** Gives read bytes back to the client's windows. */
    interface Consumption {
        void consumed(int bytes);
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    private final long readTimeoutNanos;
    private byte[] current;
    private int pos;
    private int buffered;
    private boolean ended;
    private IOException failure;
    private Consumption consumption;
    /** Runs before the first read (100 Continue); the stream task's. */
    private Runnable beforeFirstRead;

    StreamInput(long readTimeoutNanos) {
        this.readTimeoutNanos = readTimeoutNanos;
    }

    void consumption(Consumption c) {
        consumption = c;
    }

    void beforeFirstRead(Runnable hook) {
        beforeFirstRead = hook;
    }

    /**
     * Reader: a DATA frame's data. False if the stream failed meanwhile and the data was dropped:
     * nobody will read it, so the reader gives its window back (the reset may land between the
     * reader's own check and this call).
     */
    boolean offer(byte[] data, int off, int len) {
        if (len == 0) {
            return true;
        }
        byte[] copy = java.util.Arrays.copyOfRange(data, off, off + len);
        lock.lock();
        try {
            if (failure != null) {
                return false;
            }
            chunks.add(copy);
            buffered += len;
            arrived.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Reader: END_STREAM. */
    void end() {
        lock.lock();
        try {
            ended = true;
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The stream was reset or the connection ended: returns the bytes dropped unread. Reads fail
     * from now on unless the whole body had arrived and been read: a body whose end arrived but
     * whose data is dropped here must not read as a clean end of stream, or the handler would
     * take a truncated body as complete.
     */
    int fail(IOException cause) {
        lock.lock();
        try {
            if (failure == null && (!ended || buffered > 0)) {
                failure = cause;
            }
            int dropped = buffered;
            chunks.clear();
            current = null;
            buffered = 0;
            arrived.signalAll();
            return dropped;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        Runnable hook = beforeFirstRead;
        if (hook != null) {
            beforeFirstRead = null;
            hook.run();
        }
        int n;
        // Ignores interrupts, as an HTTP/1.1 body read does (PollDesc's waits): a flag a handler
        // left set must not fail its read; it is set again on the way out.
        boolean interrupted = false;
        lock.lock();
        try {
            long deadline = System.nanoTime() + readTimeoutNanos;
            long left = readTimeoutNanos;
            while (current == null && chunks.isEmpty()) {
                if (failure != null) {
                    throw failure;
                }
                if (ended) {
                    return -1;
                }
                if (left <= 0) {
                    throw new BodyException(408, "request body stalled for " + java.time.Duration.ofNanos(readTimeoutNanos));
                }
                try {
                    left = arrived.awaitNanos(left);
                } catch (InterruptedException e) {
                    interrupted = true; // the flag is clear now, so the next wait parks
                    left = deadline - System.nanoTime();
                }
            }
            if (current == null) {
                current = chunks.poll();
                pos = 0;
            }
            n = Math.min(len, current.length - pos);
            System.arraycopy(current, pos, b, off, n);
            pos += n;
            buffered -= n;
            if (pos == current.length) {
                current = null;
            }
        } finally {
            lock.unlock();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        consumption.consumed(n);
        return n;
    }

    @Override
    public int available() {
        lock.lock();
        try {
            return buffered;
        } finally {
            lock.unlock();
        }
    }

    /** Whether the whole body has arrived and been read. */
    boolean finished() {
        lock.lock();
        try {
            return ended && buffered == 0;
        } finally {
            lock.unlock();
        }
    }
}
