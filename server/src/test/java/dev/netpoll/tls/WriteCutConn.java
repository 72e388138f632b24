package dev.netpoll.tls;

import dev.netpoll.poll.Conn;
import dev.netpoll.poll.WaitReason;
import dev.netpoll.sys.NativeBuffer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * A real connection whose next write, once {@link #cut()} is called, sends half of what it was
 * given and then fails, as a write deadline that passes part-way through does. Counts the bytes
 * written after that failure: a TLS layer must not send any (they would continue a cut record).
 */
final class WriteCutConn implements Conn {

    private final Conn plain;
    private volatile boolean armed;
    private volatile boolean failed;
    private volatile long bytesAfterFailure;

    WriteCutConn(Conn plain) {
        this.plain = plain;
    }

    void cut() {
        armed = true;
    }

    long bytesAfterFailure() {
        return bytesAfterFailure;
    }

    @Override
    public void write(ByteBuffer src) throws IOException {
        if (failed) {
            bytesAfterFailure += src.remaining();
        } else if (armed && src.remaining() > 1) {
            failed = true;
            ByteBuffer half = src.slice(src.position(), src.remaining() / 2);
            plain.write(half);
            src.position(src.position() + src.remaining() / 2);
            throw new IOException("write cut part-way (test)");
        }
        plain.write(src);
    }

    @Override
    public void write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        for (int i = offset; i < offset + length; i++) {
            write(srcs[i]);
        }
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return plain.read(dst);
    }

    @Override
    public int readNow(NativeBuffer dst) throws IOException {
        return plain.readNow(dst);
    }

    @Override
    public void awaitReadable() throws IOException {
        plain.awaitReadable();
    }

    @Override
    public void setReadDeadline(long deadlineNanos) {
        plain.setReadDeadline(deadlineNanos);
    }

    @Override
    public void setWriteDeadline(long deadlineNanos) {
        plain.setWriteDeadline(deadlineNanos);
    }

    @Override
    public void shutdownOutput() throws IOException {
        plain.shutdownOutput();
    }

    @Override
    public void close() {
        plain.close();
    }

    @Override
    public boolean isOpen() {
        return plain.isOpen();
    }

    @Override
    public WaitReason parkedOn() {
        return plain.parkedOn();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return plain.remoteAddress();
    }

    @Override
    public InetSocketAddress localAddress() {
        return plain.localAddress();
    }
}
