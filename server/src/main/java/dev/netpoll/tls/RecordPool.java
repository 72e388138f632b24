package dev.netpoll.tls;

import dev.netpoll.sys.NativeBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Native buffers of one size, large enough for a whole TLS record (encrypted, or decrypted), lent
 * to a {@link TlsConn} while it has ciphertext or plaintext in flight and returned as soon as it
 * has none, so that an idle TLS connection holds no buffer. At most {@code maxPooled} are kept;
 * extra ones are left to the garbage collector.
 *
 * <p>The HTTP layer has a pool of its own for request heads and responses; this one is separate
 * because its size follows the TLS record limit (RFC 8446 section 5.2), not the HTTP limits, and
 * because {@code tls} may not depend on {@code http}. Guarded by a {@link ReentrantLock}, which
 * virtual threads take without pinning.
 */
final class RecordPool {

    private final int bufferSize;
    private final int maxPooled;
    private final ArrayDeque<NativeBuffer> free = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    // Guarded by lock: buffers lent and not yet returned.
    private int lent;

    RecordPool(int bufferSize, int maxPooled) {
        this.bufferSize = bufferSize;
        this.maxPooled = maxPooled;
    }

    int bufferSize() {
        return bufferSize;
    }

    /** A cleared buffer (position 0, limit = capacity). */
    NativeBuffer acquire() {
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
        return new NativeBuffer(bufferSize);
    }

    /** Takes {@code buffer} back; the caller must not touch it afterwards. */
    void release(NativeBuffer buffer) {
        lock.lock();
        try {
            if (!buffer.markReturned()) {
                throw new IllegalStateException("TLS record buffer released twice");
            }
            lent--;
            if (free.size() < maxPooled) {
                free.addFirst(buffer);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Buffers lent out now: held by connections with TLS data in flight. */
    int lent() {
        lock.lock();
        try {
            return lent;
        } finally {
            lock.unlock();
        }
    }
}
