package dev.netpoll.servlet;

import dev.netpoll.http.Segments;
import java.io.InputStream;

/** A request body that arrives in the given {@link Segments}: each read returns at most one. */
final class SegmentedInputStream extends InputStream {

    private final byte[] data;
    private final Segments segments;
    private int position;
    private int reads;
    private int segmentLeft;

    SegmentedInputStream(byte[] data, Segments segments) {
        this.data = data;
        this.segments = segments;
    }

    @Override
    public int read(byte[] into, int offset, int length) {
        if (position == data.length) {
            return -1;
        }
        if (length == 0) {
            return 0;
        }
        if (segmentLeft == 0) {
            segmentLeft = segments.size(reads++);
        }
        int n = Math.min(Math.min(length, segmentLeft), data.length - position);
        System.arraycopy(data, position, into, offset, n);
        position += n;
        segmentLeft -= n;
        return n;
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }
}
