package dev.netpoll.http;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Direct buffers of one size, lent to a connection while it reads a request head or writes a
 * response and returned afterwards, so that an idle keep-alive connection holds none. At most
 * {@code maxPooled} are kept; extra buffers are left to the garbage collector.
 *
 * <p>Guarded by a {@link ReentrantLock} rather than {@code synchronized}: virtual threads take it.
 */
public final class BufferPool {

    private final int bufferSize;
    private final int maxPooled;
    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();

    public BufferPool(int bufferSize, int maxPooled) {
        this.bufferSize = bufferSize;
        this.maxPooled = maxPooled;
    }

    public int bufferSize() {
        return bufferSize;
    }

    /** A cleared buffer of {@link #bufferSize()} bytes. */
    public ByteBuffer acquire() {
        lock.lock();
        try {
            ByteBuffer buffer = free.pollFirst();
            if (buffer != null) {
                return buffer.clear();
            }
        } finally {
            lock.unlock();
        }
        return ByteBuffer.allocateDirect(bufferSize);
    }

    /** Takes {@code buffer} back; the caller must not touch it afterwards. */
    public void release(ByteBuffer buffer) {
        lock.lock();
        try {
            if (free.size() < maxPooled) {
                free.addFirst(buffer);
            }
        } finally {
            lock.unlock();
        }
    }
}
