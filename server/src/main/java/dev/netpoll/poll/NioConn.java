package dev.netpoll.poll;

import java.io.IOException;
import dev.netpoll.sys.NativeBuffer;
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
 *
 * <p>A blocking channel cannot wait for readability without reading, so {@link #awaitReadable()}
 * reads one byte into {@code early} and the next {@link #read} or {@link #readNow} hands it over
 * first. {@code early} and {@code earlyState} are owned by the reading task.
 *
 * <p>A blocked channel read can only be ended by closing the channel, so a deadline (an idle
 * timeout, a graceful shutdown expiring a quiet connection) closes it here where epoll would
 * wake the task and let it half-close: nio cannot linger.
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
    // Reader-owned: the byte awaitReadable took, if earlyState is EARLY_BYTE.
    private final ByteBuffer early = ByteBuffer.allocate(1);
    private int earlyState = EARLY_NONE;
    private static final int EARLY_NONE = 0;
    private static final int EARLY_BYTE = 1;
    private static final int EARLY_EOF = 2;

    NioConn(SocketChannel channel, PollStats stats, Consumer<NioConn> onClose) throws IOException {
        this.channel = channel;
        this.stats = stats;
        this.onClose = onClose;
        this.remote = (InetSocketAddress) channel.getRemoteAddress();
        this.local = (InetSocketAddress) channel.getLocalAddress();
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (earlyState != EARLY_NONE && dst.hasRemaining()) {
            return takeEarly(dst);
        }
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
    public int readNow(NativeBuffer dst) throws IOException {
        ByteBuffer buffer = dst.buffer();
        if (!buffer.hasRemaining()) {
            return 0;
        }
        if (earlyState != EARLY_NONE) {
            return takeEarly(buffer);
        }
        // No byte taken by a wait (it ended by a deadline, say): what is queued is still ours.
        int queued = Math.min(buffer.remaining(), queuedBytes());
        if (queued <= 0) {
            return 0;
        }
        int limit = buffer.limit();
        buffer.limit(buffer.position() + queued);
        try {
            return read(buffer); // does not block: at least this many bytes are queued
        } catch (DeadlineExceededException e) {
            return 0;
        } finally {
            buffer.limit(limit);
        }
    }

    /**
     * Hands over the byte {@link #awaitReadable()} took, plus whatever the kernel already holds
     * (its count asked without blocking), so that a reader gets the bytes that arrived together.
     */
    private int takeEarly(ByteBuffer dst) {
        if (earlyState == EARLY_EOF) {
            return -1;
        }
        dst.put(early.get(0));
        earlyState = EARLY_NONE;
        int queued = dst.hasRemaining() ? Math.min(dst.remaining(), queuedBytes()) : 0;
        if (queued <= 0) {
            return 1;
        }
        int limit = dst.limit();
        dst.limit(dst.position() + queued);
        try {
            // Does not block: at least this many bytes are queued. Through read(), which sets a
            // stale interrupt aside for the channel call.
            int n = read(dst);
            return n > 0 ? 1 + n : 1;
        } catch (IOException e) {
            return 1; // the byte already taken is delivered; the failure shows on the next read
        } finally {
            dst.limit(limit);
        }
    }

    private int queuedBytes() {
        try {
            return channel.socket().getInputStream().available();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Blocks in a one-byte read, so that it returns only for a byte, end of stream, or an error. */
    @Override
    public void awaitReadable() throws IOException {
        if (earlyState != EARLY_NONE) {
            return;
        }
        early.clear();
        if (read(early) < 0) {
            earlyState = EARLY_EOF;
        } else {
            earlyState = EARLY_BYTE;
        }
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
