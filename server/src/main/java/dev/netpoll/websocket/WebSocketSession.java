package dev.netpoll.websocket;

import dev.netpoll.http.UpgradedConn;
import dev.netpoll.poll.DeadlineExceededException;
import jakarta.websocket.CloseReason;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One WebSocket session, run by its connection's task: reads in blocking style, parked on the
 * poller between frames with no buffer held; each batch of bytes is vetted and unmasked by
 * {@link FrameCheck} and handed to the session's {@link MessageLayer}, which assembles messages and
 * calls the endpoint on this task.
 *
 * <p>Closing (RFC 6455 section 7): when the client closes, the layer answers and the loop ends. When
 * we close (the application, the idle sweep, graceful shutdown), our close frame goes out from
 * the closing thread, behind any send in progress, and the task keeps reading until the client's
 * close frame or the close timeout. A protocol violation closes with its code, reads nothing more
 * and lingers (see {@link UpgradedConn#linger}) so that no reset destroys the close frame.
 * An end without a close frame reports 1006 to the endpoint.
 *
 * <p>The task is never woken early to close: on the nio transport a read can only be cut short by
 * closing the socket, which would lose the close frame. So the server's own closes (idle,
 * shutdown) run on a short-lived virtual thread of their own, and the only read deadline is the
 * close timeout.
 *
 * <p>Threads: {@link #run} and what it calls run on the task; {@code closing}, {@code closeStarted}
 * and the activity clock are written by any thread (senders, the idle sweep, shutdown).
 * {@code applicationIdleNanos} likewise (the endpoint's {@code setMaxIdleTimeout}).
 */
public final class WebSocketSession {

    private static final System.Logger LOG = System.getLogger(WebSocketSession.class.getName());

    private final NetpollServerContainer container;
    private final UpgradedConn conn;
    /** Opens the endpoint, until it is open; dropped then (task-owned). */
    private MessageLayer.Opener opener;
    private final String path;
    private final long openedAtMillis = System.currentTimeMillis();
    private final long idleTimeoutNanos;
    /** The endpoint's own idle timeout ({@code Session.setMaxIdleTimeout}), 0 for none. */
    private volatile long applicationIdleNanos;
    private final long closeTimeoutNanos;
    final FrameCheck check;
    /** permessage-deflate state, or null when not negotiated. */
    private final MessageCompression compression;
    private volatile boolean closing;
    private volatile long closeDeadline;
    /** Set once the server decided to close (idle, shutdown); a close requested before {@code connection} exists waits for it. */
    private final AtomicBoolean closeStarted = new AtomicBoolean();
    private volatile CloseReason pendingClose;
    /** Written once by the task before the loop; read by closing threads. */
    private volatile MessageLayer layer;
    private volatile long lastActivityNanos = System.nanoTime();
    /** Task-owned: set by the frame check's verdict inside a read. */
    private boolean violated;

    WebSocketSession(NetpollServerContainer container, UpgradedConn conn, MessageLayer.Opener opener,
            String path, MessageCompression compression) {
        this.container = container;
        this.conn = conn;
        this.opener = opener;
        this.path = path;
        WebSocketSettings settings = container.settings();
        this.idleTimeoutNanos = settings.idleTimeout().toNanos();
        this.closeTimeoutNanos = settings.closeTimeout().toNanos();
        this.compression = compression;
        this.check = new FrameCheck(compression != null, container.getDefaultMaxTextMessageBufferSize(),
                container.getDefaultMaxBinaryMessageBufferSize());
    }

    /** The endpoint path the session was opened on (the request path, context path included). */
    public String path() {
        return path;
    }

    /** The message layer once the endpoint is open, else null. */
    MessageLayer layer() {
        return layer;
    }

    public long openedAtMillis() {
        return openedAtMillis;
    }

    public InetSocketAddress remoteAddress() {
        return conn.remoteAddress();
    }

    /** Runs the session to its end on the connection's task. */
    void run() {
        var writer = new SessionWriter(conn, container.settings().writeTimeout().toNanos(), this);
        MessageLayer layer;
        try {
            layer = opener.open(writer, this);
            opener = null;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "WebSocket endpoint on " + path + " failed to open", e);
            return;
        }
        this.layer = layer;
        CloseReason early = pendingClose;
        if (early != null) {
            closeNow(layer, early);
        }
        try {
            readFrames(layer);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "WebSocket " + path + " from " + conn.remoteAddress() + ": " + e);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "WebSocket session on " + path + " failed", e);
        } finally {
            if (!closing) {
                // No closing handshake: the endpoint learns of an abnormal closure (1006).
                layer.close(new CloseReason(CloseReason.CloseCodes.CLOSED_ABNORMALLY, "connection lost"));
            } else {
                // A close frame (or a message before it) another thread is still writing goes out
                // before the connection closes, within the close timeout.
                layer.awaitCloseSent(closeTimeoutNanos);
                writer.awaitSendsInFlight(closeTimeoutNanos);
            }
            if (compression != null) {
                // Here rather than in Tyrus' destroy, which may run on a closing thread or not at all.
                // A send still in progress on another thread fails once the connection closes.
                compression.releaseInbound();
                compression.releaseOutbound();
            }
        }
    }

    private void readFrames(MessageLayer layer) throws IOException {
        // The HTTP read deadline no longer applies; from here only closing() sets one. Set, then
        // re-check: a close that raced the clear has its deadline restored, and one that comes
        // later sets its own (closing is written after closeDeadline, before the deadline is set).
        conn.setReadDeadline(0);
        if (closing) {
            conn.setReadDeadline(closeDeadline);
        }
        for (;;) {
            int n;
            try {
                n = conn.read(bytes -> {
                    // At a violation, the valid frames before the bad one are still delivered.
                    ByteBuffer unmasked = check.scan(bytes);
                    if (!closing && unmasked.hasRemaining()) {
                        layer.handle(unmasked);
                    }
                    violated = check.violated();
                });
            } catch (DeadlineExceededException e) {
                return; // our close frame got no answer in time
            }
            if (n < 0) {
                return;
            }
            lastActivityNanos = System.nanoTime();
            if (violated) {
                // RFC 6455 section 7.1.7: fail the connection; nothing after the bad frame is read.
                closing = true;
                layer.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(check.closeCode()), check.reason()));
                layer.awaitCloseSent(closeTimeoutNanos); // another thread may have closed first
                conn.linger(); // the client is likely mid-frame: no reset over our close frame
                return;
            }
            if (compression != null && compression.failure() != 0) {
                closing = true;
                layer.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(compression.failure()),
                        compression.failureReason()));
                layer.awaitCloseSent(closeTimeoutNanos);
                conn.linger();
                return;
            }
            if (closing && (check.closeFrameSeen() || System.nanoTime() - closeDeadline >= 0)) {
                // The handshake is done, or the client kept sending past the close timeout: a
                // read that fills the buffer never waits, so its deadline is checked here too.
                return;
            }
        }
    }

    /**
     * The server closes the session with {@code code}: once, on a virtual thread of its own, since
     * the close frame waits behind a send in progress and a slow client may hold that up to the
     * write timeout. Any thread; does not block.
     */
    void closeAsync(CloseReason.CloseCodes code, String reason) {
        if (closing || !closeStarted.compareAndSet(false, true)) {
            return;
        }
        var why = new CloseReason(code, reason);
        pendingClose = why;
        MessageLayer current = layer;
        if (current != null) {
            Thread.ofVirtual().name("netpoll-ws-close").start(() -> closeNow(current, why));
        }
        // else run() sends it once the endpoint is open
    }

    private void closeNow(MessageLayer current, CloseReason why) {
        try {
            current.close(why);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "WebSocket " + path + ": close failed: " + e);
        }
        closing();
    }

    /** The idle sweep: closes with 1001 if nothing was received or sent for the idle timeout. */
    void closeIfIdle(long now) {
        long idle = now - lastActivityNanos;
        long own = applicationIdleNanos;
        if (idleTimeoutNanos > 0 && idle >= idleTimeoutNanos || own > 0 && idle >= own) {
            closeAsync(CloseReason.CloseCodes.GOING_AWAY, "idle timeout");
        }
    }

    /**
     * The endpoint's idle timeout, checked by the container's sweep beside the server's own; 0
     * or less for none. Any thread.
     */
    void applicationIdleTimeout(long nanos) {
        applicationIdleNanos = Math.max(0, nanos);
        if (nanos > 0) {
            container.sweepFor(nanos);
        }
    }

    WebSocketSettings settings() {
        return container.settings();
    }

    /** A frame went out: the session is not idle. Any sending thread. */
    void sent() {
        lastActivityNanos = System.nanoTime();
    }

    /**
     * The layer has sent or answered a close frame: stop handing it bytes, wait for the client's
     * close frame until the close timeout. Any thread.
     */
    void closing() {
        if (!closing) {
            closeDeadline = System.nanoTime() + closeTimeoutNanos;
            closing = true;
            conn.setReadDeadline(closeDeadline);
        }
    }

    /** Drops the connection without a closing handshake (an endpoint closing with 1006 or 1015). Any thread. */
    void abort() {
        closing = true;
        conn.close();
    }

    /** Graceful shutdown: closes the session with 1001 after the sends in flight. Any thread. */
    void goAway() {
        closeAsync(CloseReason.CloseCodes.GOING_AWAY, "server shutting down");
    }
}
