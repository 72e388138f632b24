package dev.netpoll.http;

import dev.netpoll.poll.Conn;
import dev.netpoll.poll.ConnClosedException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * The connection as an {@link Upgrade} sees it once HTTP has let go: the bytes the client sent
 * after its upgrade request (already buffered by the HTTP reader) come first, then the socket.
 *
 * <p>Reads belong to the connection's task alone. Writes may come from any thread, one at a time:
 * the protocol serialises them (a WebSocket session's send lock). A read parks holding no pooled
 * buffer; one is borrowed only while bytes are being copied out, so an idle upgraded connection
 * costs no more than an idle keep-alive one.
 */
public final class UpgradedConn {

    private final Conn conn;
    private final ConnInput input;
    private final boolean secure;
    /**
     * Reads run inside it: a protocol may read on a thread of its own (a blocking servlet upgrade
     * handler) while another thread closes the connection and the task ends. The task ends it
     * before the connection's buffers go back to the pool, and a read that starts later fails.
     */
    private final Exchange readers = new Exchange();

    UpgradedConn(Conn conn, ConnInput input, boolean secure) {
        this.conn = conn;
        this.input = input;
        this.secure = secure;
    }

    /**
     * Reads at least one byte into {@code into}, parking until some arrive or the read deadline
     * passes ({@link dev.netpoll.poll.DeadlineExceededException}); -1 at end of stream.
     */
    public int read(byte[] into, int offset, int length) throws IOException {
        enter();
        try {
            return input.readUpgraded(into, offset, length, true);
        } finally {
            readers.exit();
        }
    }

    /** Takes bytes lent by {@link #read(Sink)}. */
    @FunctionalInterface
    public interface Sink {
        void accept(ByteBuffer bytes) throws IOException;
    }

    /**
     * Parks until bytes arrive, then lends them to {@code sink} without a copy: the view is valid
     * only during the call. Returns the bytes lent, -1 at end of stream. For protocols that parse
     * or copy what they read at once (a WebSocket frame reader).
     */
    public int read(Sink sink) throws IOException {
        enter();
        try {
            return input.lendUpgraded(sink);
        } finally {
            readers.exit();
        }
    }

    /** Reads what is there without parking: bytes copied, 0 when nothing has arrived, -1 at end of stream. */
    public int readNow(byte[] into, int offset, int length) throws IOException {
        enter();
        try {
            return input.readUpgraded(into, offset, length, false);
        } finally {
            readers.exit();
        }
    }

    private void enter() throws IOException {
        try {
            readers.enter();
        } catch (IllegalStateException e) {
            throw new ConnClosedException();
        }
    }

    /**
     * The protocol is done (its {@code serve} returned): no read may start from now on. Returns
     * false if one is still running on another thread; the caller then closes the socket, which
     * wakes it, and waits with {@link #awaitReaderGone}. The connection's task.
     */
    boolean endReads() {
        return readers.end();
    }

    /** After {@link #endReads} returned false and the socket was closed: whether the reader left within {@code nanos}. */
    boolean awaitReaderGone(long nanos) {
        return readers.awaitExit(nanos);
    }

    /** Parks until the socket may be readable (a hint: a read may still find nothing). Holds no buffer. */
    public void awaitReadable() throws IOException {
        if (!input.hasBuffered()) {
            conn.awaitReadable();
        }
    }

    /** Whether bytes are buffered that a read returns without touching the socket. */
    public boolean hasBuffered() {
        return input.hasBuffered();
    }

    /** Writes all of {@code src}, parking while the socket buffer is full. One writer at a time. */
    public void write(ByteBuffer src) throws IOException {
        conn.write(src);
    }

    /** Absolute {@link System#nanoTime} deadline for reads, 0 for none. Any thread. */
    public void setReadDeadline(long deadlineNanos) {
        conn.setReadDeadline(deadlineNanos);
    }

    /** Absolute {@link System#nanoTime} deadline for writes, 0 for none. Any thread. */
    public void setWriteDeadline(long deadlineNanos) {
        conn.setWriteDeadline(deadlineNanos);
    }

    /** Half-closes: the client reads end of stream, we can still read its last bytes. */
    public void shutdownOutput() throws IOException {
        conn.shutdownOutput();
    }

    /**
     * Lingering close for a protocol that gives up on a client still sending (a WebSocket
     * protocol error or oversized message): half-closes, then reads and discards until the client
     * closes or half a second passes. Closing over unread bytes, or having more arrive after the
     * close, makes the kernel answer with a reset, which destroys what we sent last (the close
     * frame) if the client has not read it yet. The caller closes afterwards. Task only.
     */
    public void linger() {
        try {
            conn.shutdownOutput();
            input.discardUntilEnd(System.nanoTime() + HttpConnection.LINGER_NANOS);
        } catch (IOException e) {
            // Reset, closed or timed out: nothing more to protect.
        }
    }

    /** Closes the socket, waking a parked read or write. Any thread; idempotent. */
    public void close() {
        conn.close();
    }

    public boolean isOpen() {
        return conn.isOpen();
    }

    public boolean isSecure() {
        return secure;
    }

    public InetSocketAddress remoteAddress() {
        return conn.remoteAddress();
    }

    public InetSocketAddress localAddress() {
        return conn.localAddress();
    }
}
