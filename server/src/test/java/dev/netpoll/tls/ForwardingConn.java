package dev.netpoll.tls;

import dev.netpoll.poll.Conn;
import dev.netpoll.poll.WaitReason;
import dev.netpoll.sys.NativeBuffer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/** A real connection passed through, for test wrappers that change one or two of its calls. */
abstract class ForwardingConn implements Conn {

    final Conn plain;

    ForwardingConn(Conn plain) {
        this.plain = plain;
    }

    @Override
    public void write(ByteBuffer src) throws IOException {
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
