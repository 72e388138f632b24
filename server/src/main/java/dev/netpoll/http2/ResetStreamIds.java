package dev.netpoll.http2;

import java.util.concurrent.locks.ReentrantLock;

/**
 * The latest streams we ended with RST_STREAM, remembered after they leave the stream table.
 *
 * <p>RFC 9113 section 5.1: the peer may have sent frames on a stream before our RST_STREAM reached
 * it (the rest of a request body, its trailers), and those must be ignored. While the stream is in
 * the table its reset flag says so; once its task has ended and it left the table, only this
 * record does. Without it the request's trailers, a HEADERS frame on a stream we no longer know,
 * ended the whole connection with STREAM_CLOSED, and every other stream on it. The record keeps
 * the latest {@value #CAPACITY}: frames that come later than that many resets are answered as on a
 * closed stream.
 *
 * <p>Written by whichever thread sends the reset (a stream's task, the reader), read by the reader:
 * {@code lock} guards the ring.
 */
final class ResetStreamIds {

    static final int CAPACITY = 64;

    private final ReentrantLock lock = new ReentrantLock();
    private final int[] ids = new int[CAPACITY];
    private int next;
    private int size;

    void add(int id) {
        lock.lock();
        try {
            ids[next] = id;
            next = (next + 1) % CAPACITY;
            size = Math.min(size + 1, CAPACITY);
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
