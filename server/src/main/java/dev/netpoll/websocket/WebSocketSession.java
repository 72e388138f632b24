package dev.netpoll.websocket;

import dev.netpoll.http.UpgradedConn;
import dev.netpoll.poll.DeadlineExceededException;
import jakarta.websocket.CloseReason;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.glassfish.tyrus.spi.Connection;
import org.glassfish.tyrus.spi.ReadHandler;
import org.glassfish.tyrus.spi.WebSocketEngine;

/**
 * One WebSocket session, run by its connection's task: reads in blocking style, parked on the
 * poller between frames with no buffer held; each batch of bytes is vetted and unmasked by
 * {@link FrameCheck} and handed to Tyrus, which assembles messages and calls the endpoint on this task.
 *
 * <p>Closing (RFC 6455 section 7): when the client closes, Tyrus answers and the loop ends. When
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
 */
public final class WebSocketSession {

    private static final System.Logger LOG = System.getLogger(WebSocketSession.class.getName());

    private final NetpollServerContainer container;
    private final UpgradedConn conn;
    /** The handshake's outcome, until the endpoint is open; dropped then (task-owned). */
    private WebSocketEngine.UpgradeInfo upgrade;
    private final String path;
    private final long openedAtMillis = System.currentTimeMillis();
    private final long idleTimeoutNanos;
    private final long closeTimeoutNanos;
    private final FrameCheck check;
    /** permessage-deflate state, or null when not negotiated. */
    private final MessageCompression compression;
    private volatile boolean closing;
    private volatile long closeDeadline;
    /** Set once the server decided to close (idle, shutdown); a close requested before {@code connection} exists waits for it. */
    private final AtomicBoolean closeStarted = new AtomicBoolean();
    private volatile CloseReason pendingClose;
    /** Written once by the task before the loop; read by closing threads. */
    private volatile Connection connection;
    private volatile long lastActivityNanos = System.nanoTime();
    /** Task-owned: set by the frame check's verdict inside a read. */
    private boolean violated;

    WebSocketSession(NetpollServerContainer container, UpgradedConn conn, WebSocketEngine.UpgradeInfo upgrade,
            String path, MessageCompression compression) {
        this.container = container;
        this.conn = conn;
        this.upgrade = upgrade;
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

    public long openedAtMillis() {
        return openedAtMillis;
    }

    public InetSocketAddress remoteAddress() {
        return conn.remoteAddress();
    }

    /** Runs the session to its end on the connection's task. */
    void run() {
        var writer = new SessionWriter(conn, container.settings().writeTimeout().toNanos(), this);
        Connection connection;
        try {
            connection = upgrade.createConnection(writer, reason -> closing());
            upgrade = null;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "WebSocket endpoint on " + path + " failed to open", e);
            return;
        }
        this.connection = connection;
        CloseReason early = pendingClose;
        if (early != null) {
            closeNow(connection, early);
        }
        try {
            readFrames(connection.getReadHandler(), connection);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "WebSocket " + path + " from " + conn.remoteAddress() + ": " + e);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "WebSocket session on " + path + " failed", e);
        } finally {
            if (!closing) {
                // No closing handshake: the endpoint learns of an abnormal closure (1006).
                connection.close(new CloseReason(CloseReason.CloseCodes.CLOSED_ABNORMALLY, "connection lost"));
            }
            if (compression != null) {
                // Here rather than in Tyrus' destroy, which may run on a closing thread or not at all.
                compression.releaseInbound();
                compression.releaseOutbound();
            }
        }
    }

    private void readFrames(ReadHandler reader, Connection connection) throws IOException {
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
                        reader.handle(unmasked);
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
                connection.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(check.closeCode()), check.reason()));
                conn.linger(); // the client is likely mid-frame: no reset over our close frame
                return;
            }
            if (compression != null && compression.failure() != 0) {
                closing = true;
                connection.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(compression.failure()),
                        compression.failureReason()));
                conn.linger();
                return;
            }
            if (closing && check.closeFrameSeen()) {
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
        Connection current = connection;
        if (current != null) {
            Thread.ofVirtual().name("netpoll-ws-close").start(() -> closeNow(current, why));
        }
        // else run() sends it once the endpoint is open
    }

    private void closeNow(Connection current, CloseReason why) {
        try {
            current.close(why);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "WebSocket " + path + ": close failed: " + e);
        }
        closing();
    }

    /** The idle sweep: closes with 1001 if nothing was received or sent for the idle timeout. */
    void closeIfIdle(long now) {
        if (idleTimeoutNanos > 0 && now - lastActivityNanos >= idleTimeoutNanos) {
            closeAsync(CloseReason.CloseCodes.GOING_AWAY, "idle timeout");
        }
    }

    /** A frame went out: the session is not idle. Any sending thread. */
    void sent() {
        lastActivityNanos = System.nanoTime();
    }

    /**
     * Tyrus has sent or answered a close frame: stop handing it bytes, wait for the client's
     * close frame until the close timeout. Any thread.
     */
    void closing() {
        if (!closing) {
            closeDeadline = System.nanoTime() + closeTimeoutNanos;
            closing = true;
            conn.setReadDeadline(closeDeadline);
        }
    }

    /** Graceful shutdown: closes the session with 1001 after the sends in flight. Any thread. */
    void goAway() {
        closeAsync(CloseReason.CloseCodes.GOING_AWAY, "server shutting down");
    }
}
