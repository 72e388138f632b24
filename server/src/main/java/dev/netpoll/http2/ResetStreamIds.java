package dev.netpoll.http2;

import java.util.concurrent.locks.ReentrantLock;

/**
 * The latest streams we ended with RST_STREAM while the client could still be sending on them
 * (it had not ended its side), remembered after they leave the stream table.
 *
 * <p>RFC 9113 section 5.1: the peer may have sent frames on a stream before our RST_STREAM reached
 * it (the rest of a request body, its trailers), and those must be ignored. While the stream is in
 * the table its reset flag says so; once its task has ended and it left the table, only this
 * record does. Without it the request's trailers, a HEADERS frame on a stream we no longer know,
 * ended the whole connection with STREAM_CLOSED, and every other stream on it.
 *
 * <p>The record keeps the latest twice SETTINGS_MAX_CONCURRENT_STREAMS: a client may have that
 * many streams open and be told to stop on all of them within one round trip (every upload
 * answered early). Frames that come later than that many resets are answered as on a closed
 * stream. The ring grows as resets come, so a connection that resets few streams keeps a few ints.
 *
 * <p>Written by whichever thread sends the reset (a stream's task, the reader), read by the reader:
 * {@code lock} guards the ring.
 */
final class ResetStreamIds {

    private final ReentrantLock lock = new ReentrantLock();
    private final int capacity;
    private int[] ids = new int[8];
    private int next;
    private int size;

    ResetStreamIds(int maxConcurrentStreams) {
        this.capacity = (int) Math.min(Integer.MAX_VALUE - 8, 2L * maxConcurrentStreams);
    }

    void add(int id) {
        lock.lock();
        try {
            if (size == ids.length && ids.length < capacity) {
                // Full but allowed to grow: next is 0 here, the ring is in order.
                ids = java.util.Arrays.copyOf(ids, (int) Math.min(capacity, 2L * ids.length));
                next = size;
            }
            ids[next] = id;
            next = (next + 1) % ids.length;
            size = Math.min(size + 1, ids.length);
        } finally {
            lock.unlock();
        }
    }

    boolean contains(int id) {
        lock.lock();
        try {
            for (int i = 0; i < size; i++) {
                if (ids[i] == id) {
                    return true;
                }
            }
            return false;
        } finally {
            lock.unlock();
        }
    }
}
