package dev.netpoll.poll;

import dev.netpoll.sys.NativeBuffer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * A connected stream socket with blocking-style operations for one task.
 *
 * <p>Calls block the calling task (a virtual thread) until they can proceed; they never block an
 * OS thread. At most one task reads and at most one task writes at a time (they may be different
 * tasks); a second concurrent reader is a programming error and fails with
 * {@link IllegalStateException}. {@link #close()} and the deadline setters may be called from any
 * thread and wake a parked reader or writer.
 *
 * <p>Deadlines are absolute {@link System#nanoTime()} values, 0 meaning none, as in Go's
 * {@code SetReadDeadline}: a read parked past its deadline fails with
 * {@link DeadlineExceededException}. A deadline stays in force until changed.
 */
public interface Conn extends AutoCloseable {

    /** The earlier of two deadlines, 0 meaning none (so any deadline is earlier than none). */
    static long earlierDeadline(long a, long b) {
        if (a == 0) {
            return b;
        }
        if (b == 0) {
            return a;
        }
        return a - b <= 0 ? a : b;
    }

    /**
     * Reads into {@code dst} from its position up to its limit.
     *
     * @return bytes read, or -1 at end of stream (the peer closed or shut down its output)
     */
    int read(ByteBuffer dst) throws IOException;

    /** {@link #read(ByteBuffer)} into {@code dst.buffer()}, without looking its address up. */
    default int read(NativeBuffer dst) throws IOException {
        return read(dst.buffer());
    }

    /**
     * Reads what has arrived into {@code dst.buffer()} without parking: the bytes read, 0 when
     * nothing is there yet, -1 at end of stream. Meant for right after {@link #awaitReadable()},
     * whose return is only a hint: a server borrows a buffer, calls this, and gives the buffer back
     * and waits again on 0, so that a spurious wake-up neither holds a buffer nor counts as the
     * start of a request.
     */
    int readNow(NativeBuffer dst) throws IOException;

    /** {@link #write(ByteBuffer)} of {@code src.buffer()}, without looking its address up. */
    default void write(NativeBuffer src) throws IOException {
        write(src.buffer());
    }

    /** Writes all remaining bytes of {@code src}, parking while the socket buffer is full. */
    void write(ByteBuffer src) throws IOException;

    /** Writes all remaining bytes of {@code srcs} in order, gathering where the transport can. */
    void write(ByteBuffer[] srcs, int offset, int length) throws IOException;

    /**
     * Parks until the socket may have something to read (data, end of stream or an error) or the
     * read deadline passes. Holds no buffer while parked: a server calls this on an idle
     * connection and takes a read buffer only afterwards. May return early (a spurious wake-up
     * leads to a read that parks again).
     */
    void awaitReadable() throws IOException;

    void setReadDeadline(long deadlineNanos);

    void setWriteDeadline(long deadlineNanos);

    /** Half-closes: the peer reads end of stream; this side can still read. */
    void shutdownOutput() throws IOException;

    /** Closes the connection; wakes parked operations with {@link ConnClosedException}. Idempotent. */
    @Override
    void close();

    boolean isOpen();

    /** What a task is parked on right now, for the runtime view: a read, a write, or nothing. */
    WaitReason parkedOn();

    /** The peer's address; may be made anew on each call (a connection keeps it packed). */
    InetSocketAddress remoteAddress();

    InetSocketAddress localAddress();
}
