package dev.netpoll.sys;

import java.util.ArrayDeque;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Native buffers of one size, lent to a connection only while it has bytes in flight and given
 * back as soon as it has none, so that an idle connection holds no buffer. At most
 * {@code maxPooled} are kept; extra ones are left to the garbage collector. A buffer has exactly
 * one owner: giving one back twice is refused, since the next two borrowers would share it.
 *
 * <p>The HTTP layer keeps one for request heads and responses, the TLS layer one sized for whole
 * records. Guarded by a {@link ReentrantLock} rather than {@code synchronized}: virtual threads
 * take it.
 */
public final class NativeBufferPool {

    private final int bufferSize;
    private final int maxPooled;
    private final String what;
    private final ArrayDeque<NativeBuffer> free = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    // Guarded by lock: buffers lent and not yet given back.
    private int lent;

    /** {@code what} names the buffers in errors ("TLS record buffer"). */
    public NativeBufferPool(int bufferSize, int maxPooled, String what) {
        this.bufferSize = bufferSize;
        this.maxPooled = maxPooled;
        this.what = what;
    }

    public int bufferSize() {
        return bufferSize;
    }

    /** A cleared buffer (position 0, limit = capacity) of {@link #bufferSize()} bytes. */
    public NativeBuffer acquire() {
        lock.lock();
        try {
            lent++;
            NativeBuffer buffer = free.pollFirst();
            if (buffer != null) {
                buffer.markLent();
                buffer.buffer().clear();
                return buffer;
            }
        } finally {
            lock.unlock();
        }
        try {
            return new NativeBuffer(bufferSize);
        } catch (RuntimeException | Error e) {
            // No buffer was lent (direct memory exhausted): the count must not say one was.
            lock.lock();
            try {
                lent--;
            } finally {
                lock.unlock();
            }
            throw e;
        }
    }

    /**
     * Takes {@code buffer} back; the caller must not touch it afterwards.
     *
     * @throws IllegalStateException if it was already given back
     */
    public void release(NativeBuffer buffer) {
        lock.lock();
        try {
            if (!buffer.markReturned()) {
                throw new IllegalStateException(what + " released twice");
            }
            lent--;
            if (free.size() < maxPooled) {
                free.addFirst(buffer);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Buffers lent out now: held by connections with bytes in flight. */
    public int lent() {
        lock.lock();
        try {
            return lent;
        } finally {
            lock.unlock();
        }
    }
}
