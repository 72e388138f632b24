package dev.netpoll.http;

import dev.netpoll.poll.Conn;
import dev.netpoll.poll.WaitReason;
import dev.netpoll.sys.NativeBuffer;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * A {@link Conn} whose peer sent {@code data} and closed: reads return it in the given
 * {@link Segments} and then -1. Deadlines are ignored, as nothing here ever waits. Writing is not
 * part of reading a request, so it fails.
 */
final class SegmentedConn implements Conn {

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

    /** Every segment has already arrived: reading now is reading the next segment. */
    @Override
    public int readNow(NativeBuffer dst) {
        return read(dst.buffer());
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
    public void awaitReadable() {
    }

    @Override
    public void setReadDeadline(long deadlineNanos) {
    }

    @Override
    public void setWriteDeadline(long deadlineNanos) {
    }

    @Override
    public void shutdownOutput() {
    }

    @Override
    public void close() {
        open = false;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public WaitReason parkedOn() {
        return null;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return new InetSocketAddress("127.0.0.1", 40000);
    }

    @Override
    public InetSocketAddress localAddress() {
        return new InetSocketAddress("127.0.0.1", 8080);
    }
}
