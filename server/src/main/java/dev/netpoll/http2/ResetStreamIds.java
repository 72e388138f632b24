package dev.netpoll.http2;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The latest streams we ended with RST_STREAM while the client could still be sending on them
 * (it had not ended its side), remembered after they leave the stream table, each with the
 * request body bytes the client may still have in flight.
 *
 * <p>RFC 9113 section 5.1: the peer may have sent frames on a stream before our RST_STREAM reached
 * it (the rest of a request body, its trailers), and those must be ignored. While the stream is in
 * the table its reset flag says so; once its task has ended and it left the table, only this
 * record does. Without it the request's trailers, a HEADERS frame on a stream we no longer know,
 * ended the whole connection with STREAM_CLOSED, and every other stream on it.
 *
 * <p>What may be in flight is bounded by flow control: the stream's receive window when it was
 * reset, which we never credit again. DATA is ignored while it fits in that window; beyond it the
 * client is not answering a reset but sending on a closed stream, which is answered (and counted)
 * as such. So ignored bytes cost the client window, and ignoring cannot be had for free without
 * end.
 *
 * <p>The record keeps the latest twice SETTINGS_MAX_CONCURRENT_STREAMS, at most {@value #MAX}: a
 * client may have that many streams open and be told to stop on all of them within one round
 * trip (every upload answered early). Frames that come later than that many resets are answered
 * as on a closed stream.
 *
 * <p>Written by whichever thread sends the reset (a stream's task, the reader), read and charged
 * by the reader: {@code lock} guards the map.
 */
final class ResetStreamIds {

    static final int MAX = 2048;

    /** What {@link #charge} found. */
    enum Charge { NOT_RESET, IGNORE, BEYOND_WINDOW }

    private final ReentrantLock lock = new ReentrantLock();
    // Insertion order: the eldest is the first to go. Values: the window left, in bytes.
    private final LinkedHashMap<Integer, Integer> windows;

    ResetStreamIds(int maxConcurrentStreams) {
        int capacity = (int) Math.min(MAX, 2L * maxConcurrentStreams);
        windows = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Integer, Integer> eldest) {
                return size() > capacity;
            }
        };
    }

    /** We reset stream {@code id}; the client may still send up to {@code window} bytes on it. */
    void add(int id, int window) {
        lock.lock();
        try {
            windows.put(id, Math.max(0, window));
        } finally {
            lock.unlock();
        }
    }

    /** Charges {@code length} bytes of DATA on {@code id} (0 for a header block) to its window. */
    Charge charge(int id, int length) {
        lock.lock();
        try {
            Integer left = windows.get(id);
            if (left == null) {
                return Charge.NOT_RESET;
            }
            if (length > left) {
                return Charge.BEYOND_WINDOW;
            }
            windows.put(id, left - length);
            return Charge.IGNORE;
        } finally {
            lock.unlock();
        }
    }
}
