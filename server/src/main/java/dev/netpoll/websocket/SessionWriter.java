package dev.netpoll.websocket;

import dev.netpoll.http.UpgradedConn;
import dev.netpoll.poll.Conn;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.ReentrantLock;
import org.glassfish.tyrus.spi.CompletionHandler;
import org.glassfish.tyrus.spi.Writer;

/**
 * Where a session's outgoing frames go (ours and Tyrus'): straight onto the socket, on the thread
 * that sends. {@code sendLock} serialises frames from any number of application threads and the
 * session's own task (pongs, close frames) so that frames never interleave; it is held only while
 * bytes go out, never while the task waits for input. A client that stops reading parks the
 * sender until the write timeout, which fails the send and closes the session.
 */
final class SessionWriter extends Writer {

    private final UpgradedConn conn;
    private final long writeTimeoutNanos;
    private final ReentrantLock sendLock = new ReentrantLock();
    private final WebSocketSession session;
    /**
     * Guarded by sendLock: our Close frame went out. Nothing may follow it (RFC 6455 section
     * 5.5.1), but a sender that passed Tyrus' open-state check just before the close began still
     * hands us its frame; it fails here instead of reaching the wire after the Close.
     */
    private boolean closeSent;

    SessionWriter(UpgradedConn conn, long writeTimeoutNanos, WebSocketSession session) {
        this.conn = conn;
        this.writeTimeoutNanos = writeTimeoutNanos;
        this.session = session;
    }

    @Override
    public void write(ByteBuffer buffer, CompletionHandler<ByteBuffer> completionHandler) {
        try {
            send(buffer);
        } catch (IOException e) {
            if (completionHandler != null) {
                completionHandler.failed(e);
            }
            return;
        }
        if (completionHandler != null) {
            completionHandler.completed(buffer);
        }
    }

    /**
     * Writes one frame (RFC 6455 section 5.2, server to client: unmasked), whole, on the calling
     * thread. A failed write closes the connection: the socket is unusable (client gone, or not
     * reading past the write timeout).
     *
     * @throws IOException the write failed, or our close frame already went out
     */
    void send(ByteBuffer frame) throws IOException {
        send(frame, 0);
    }

    /**
     * {@link #send(ByteBuffer)}, bounded also by {@code deadlineNanos} ({@link System#nanoTime},
     * 0 for none): a send under an asynchronous send timeout. Waiting for another sender's frame
     * past it fails the send with nothing written, and the session stays open; a write that passes
     * it fails like one that passes the write timeout.
     */
    void send(ByteBuffer frame, long deadlineNanos) throws IOException {
        IOException failure;
        lock(deadlineNanos);
        try {
            if (closeSent) {
                throw new IOException("the WebSocket session is closing: our close frame was sent");
            }
            // A frame's first byte: FIN, RSV1-3, opcode; 0x8 is Close. One frame per call.
            closeSent = frame.hasRemaining() && (frame.get(frame.position()) & 0x0F) == 0x8;
            try {
                long writeTimeout = writeTimeoutNanos > 0 ? System.nanoTime() + writeTimeoutNanos : 0;
                conn.setWriteDeadline(Conn.earlierDeadline(writeTimeout, deadlineNanos));
                conn.write(frame);
                session.sent();
                return;
            } catch (IOException e) {
                failure = e;
            }
        } finally {
            sendLock.unlock();
        }
        conn.close();
        throw failure;
    }

    private void lock(long deadlineNanos) throws IOException {
        if (deadlineNanos == 0) {
            sendLock.lock();
            return;
        }
        if (!SendDeadline.tryLock(sendLock, deadlineNanos)) {
            throw new SocketTimeoutException("send timeout: another frame was still being written");
        }
    }

    /**
     * Waits, at most {@code nanos}, until a send in progress on another thread is out, so that
     * the connection does not close under it.
     */
    void awaitSendsInFlight(long nanos) {
        try {
            if (sendLock.tryLock(nanos, java.util.concurrent.TimeUnit.NANOSECONDS)) {
                sendLock.unlock();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Tyrus is done with the connection: the session's task stops reading soon. */
    @Override
    public void close() {
        session.closing();
    }
}
