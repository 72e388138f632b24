package dev.netpoll.http;

import dev.netpoll.sys.NativeBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Direct buffers of one size (with their native address known, see {@link NativeBuffer}), lent to a connection while it reads a request head or writes a
 * response and returned afterwards, so that an idle keep-alive connection holds none. At most
 * {@code maxPooled} are kept; extra buffers are left to the garbage collector.
 *
 * <p>Guarded by a {@link ReentrantLock} rather than {@code synchronized}: virtual threads take it.
 */
public final class BufferPool {

    private final int bufferSize;
    private final int maxPooled;
    private final ArrayDeque<NativeBuffer> free = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();

    public BufferPool(int bufferSize, int maxPooled) {
        this.bufferSize = bufferSize;
        this.maxPooled = maxPooled;
    }

    public int bufferSize() {
        return bufferSize;
    }

    /** A cleared buffer of {@link #bufferSize()} bytes. */
    public NativeBuffer acquire() {
        lock.lock();
        try {
            NativeBuffer buffer = free.pollFirst();
            if (buffer != null) {
                buffer.markLent();
                buffer.buffer().clear();
                return buffer;
            }
        } finally {
            lock.unlock();
        }
        return new NativeBuffer(bufferSize);
    }

    /**
     * Takes {@code buffer} back; the caller must not touch it afterwards.
     *
     * @throws IllegalStateException if it was already given back: two owners would otherwise get
     *         the same buffer from the next two acquires
     */
    public void release(NativeBuffer buffer) {
        lock.lock();
        try {
            if (!buffer.markReturned()) {
                throw new IllegalStateException("buffer released twice");
            }
            if (free.size() < maxPooled) {
                free.addFirst(buffer);
            }
        } finally {
            lock.unlock();
        }
    }
}
