package dev.netpoll.poll;

import dev.netpoll.sys.NativeBuffer;
import java.net.InetSocketAddress;

/**
 * The part of a {@link Conn} that tests of the layers above never look at, for connections
 * scripted in memory: nothing waits, so deadlines, readiness and half-close are no-ops; the
 * addresses are fixed loopback ones. Subclasses script reads, writes and closing.
 */
public abstract class OfflineConn implements Conn {

    @Override
    public int readNow(NativeBuffer dst) throws java.io.IOException {
        return read(dst.buffer());
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
