package dev.netpoll.http2;

/**
 * The client stream ids a connection's peer jumped over, so that a HEADERS frame on one of them
 * can be told from one on a stream that ran and closed.
 *
 * <p>RFC 9113 section 5.1.1: a new stream's id must exceed every id the peer opened before, and
 * opening one closes the lower idle ids. HEADERS on a skipped id is therefore an attempt to open a
 * stream out of order, a connection error of type PROTOCOL_ERROR; HEADERS on an id that was used
 * is a frame on a closed stream, STREAM_CLOSED. Opened ids only grow, so the skipped ones are a
 * list of ascending ranges, and a client that counts up by two adds none. The list keeps the
 * latest {@value #MAX_RANGES}: an id in a forgotten range is then taken for a closed stream, which
 * still ends the connection, with STREAM_CLOSED.
 *
 * <p>Owned by the connection's reader.
 */
final class SkippedStreamIds {

    static final int MAX_RANGES = 64;

    // A ring of inclusive ranges [from, to], ascending from index head.
    private final int[] from = new int[MAX_RANGES];
    private final int[] to = new int[MAX_RANGES];
    private int head;
    private int size;

    /** The peer opened {@code id} when the highest id it had opened was {@code previous} (0 for none). */
    void opened(int previous, int id) {
        // Client ids are odd: going from 3 to 5 skips only 4, which no client may open.
        if (id - previous <= 2) {
            return;
        }
        int slot = (head + size) % MAX_RANGES;
        if (size == MAX_RANGES) {
            head = (head + 1) % MAX_RANGES;
        } else {
            size++;
        }
        from[slot] = previous + 1;
        to[slot] = id - 1;
    }

    /** True if {@code id} lies in a remembered range the peer skipped. */
    boolean contains(int id) {
        int lo = 0;
        int hi = size - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int slot = (head + mid) % MAX_RANGES;
            if (id < from[slot]) {
                hi = mid - 1;
            } else if (id > to[slot]) {
                lo = mid + 1;
            } else {
                return true;
            }
        }
        return false;
    }
}
