package dev.netpoll.http;

import dev.netpoll.poll.OfflineConn;
import java.nio.ByteBuffer;

/**
 * A {@link Conn} whose peer sent {@code data} and closed: reads return it in the given
 * {@link Segments} and then -1 (every segment has already arrived: reading now is reading the
 * next one). Writing is not part of reading a request, so it fails.
 */
final class SegmentedConn extends OfflineConn {

    private final byte[] data;
    private final Segments segments;
    private int position;
    private int reads;
    private int segmentLeft;
    private boolean open = true;

    SegmentedConn(byte[] data, Segments segments) {
        this.data = data;
        this.segments = segments;
    }

    @Override
    public int read(ByteBuffer dst) {
        if (position == data.length) {
            return -1;
        }
        if (segmentLeft == 0) {
            segmentLeft = segments.size(reads++);
        }
        int n = Math.min(Math.min(dst.remaining(), segmentLeft), data.length - position);
        dst.put(data, position, n);
        position += n;
        segmentLeft -= n;
        return n;
    }

    @Override
    public void write(ByteBuffer src) {
        throw new UnsupportedOperationException("reading a request writes nothing");
    }

    @Override
    public void write(ByteBuffer[] srcs, int offset, int length) {
        throw new UnsupportedOperationException("reading a request writes nothing");
    }

    @Override
    public void close() {
        open = false;
    }

    @Override
    public boolean isOpen() {
        return open;
    }
}
