package dev.netpoll.poll;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;

/**
 * A connection of the nio transport: a blocking {@link SocketChannel} used from a virtual thread.
 *
 * <p>{@code reading}/{@code writing} are set by the reading and writing task around their blocking
 * calls and read by the {@link DeadlineSweeper}, which sets {@code timedOut} before it closes the
 * channel so that the woken task reports a timeout rather than a close.
 */
final class NioConn implements Conn {

    private final SocketChannel channel;
    private final PollStats stats;
    private final Consumer<NioConn> onClose;
    private final InetSocketAddress remote;
    private final InetSocketAddress local;
    private volatile long readDeadline;
    private volatile long writeDeadline;
    private volatile boolean reading;
    private volatile boolean writing;
    private volatile boolean timedOut;

    NioConn(SocketChannel channel, PollStats stats, Consumer<NioConn> onClose) throws IOException {
        this.channel = channel;
        this.stats = stats;
        this.onClose = onClose;
        this.remote = (InetSocketAddress) channel.getRemoteAddress();
        this.local = (InetSocketAddress) channel.getLocalAddress();
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        check(readDeadline, "read");
        reading = true;
        stats.parked(WaitReason.READ, 1);
        // A JDK channel closes itself when used by an interrupted thread; a stale interrupt must
        // not cost the connection (see PollDesc, Interrupts), so it is set aside for the call.
        boolean interrupted = Thread.interrupted();
        try {
            return channel.read(dst);
        } catch (ClosedChannelException e) {
            throw closedOrTimedOut("read");
        } finally {
            stats.parked(WaitReason.READ, -1);
            reading = false;
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void write(ByteBuffer src) throws IOException {
        write(new ByteBuffer[] {src}, 0, 1);
    }

    @Override
    public void write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        check(writeDeadline, "write");
        writing = true;
        stats.parked(WaitReason.WRITE, 1);
        boolean interrupted = Thread.interrupted(); // as in read
        try {
            // Not one call: on a virtual thread the JDK runs the "blocking" channel non-blocking
            // underneath, and a write may return after writing only part (seen losing 200 KB of
            // a 32 MB echo before this loop).
            while (remaining(srcs, offset, length)) {
                channel.write(srcs, offset, length);
            }
        } catch (ClosedChannelException e) {
            throw closedOrTimedOut("write");
        } finally {
            stats.parked(WaitReason.WRITE, -1);
            writing = false;
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static boolean remaining(ByteBuffer[] srcs, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (srcs[i].hasRemaining()) {
                return true;
            }
        }
        return false;
    }

    private void check(long deadline, String operation) throws IOException {
        if (timedOut) {
            throw new DeadlineExceededException(operation);
        }
        if (!channel.isOpen()) {
            throw new ConnClosedException();
        }
        if (deadline != 0 && System.nanoTime() - deadline >= 0) {
            throw new DeadlineExceededException(operation);
        }
    }

    private IOException closedOrTimedOut(String operation) {
        return timedOut ? new DeadlineExceededException(operation) : new ConnClosedException();
    }

    /** Called by the sweeper: closes the channel if a blocked operation's deadline passed. */
    void sweep(long now) {
        if (reading && readDeadline != 0 && now - readDeadline >= 0
                || writing && writeDeadline != 0 && now - writeDeadline >= 0) {
            timedOut = true;
            close();
        }
    }

    @Override
    public void awaitReadable() throws IOException {
        check(readDeadline, "read");
    }

    @Override
    public void setReadDeadline(long deadlineNanos) {
        readDeadline = deadlineNanos;
    }

    @Override
    public void setWriteDeadline(long deadlineNanos) {
        writeDeadline = deadlineNanos;
    }

    @Override
    public void shutdownOutput() throws IOException {
        try {
            channel.shutdownOutput();
        } catch (ClosedChannelException e) {
            throw new ConnClosedException();
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // The descriptor is released even when close reports an error.
        }
        onClose.accept(this);
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    /** Inside a blocking channel call, which may or may not have parked: the nio view is coarser. */
    @Override
    public WaitReason parkedOn() {
        return reading ? WaitReason.READ : writing ? WaitReason.WRITE : null;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }
}
