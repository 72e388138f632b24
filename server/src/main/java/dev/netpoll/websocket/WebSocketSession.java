package dev.netpoll.websocket;

import dev.netpoll.http.UpgradedConn;
import dev.netpoll.poll.DeadlineExceededException;
import jakarta.websocket.CloseReason;
import java.io.IOException;
import java.net.InetSocketAddress;
import org.glassfish.tyrus.spi.Connection;
import org.glassfish.tyrus.spi.ReadHandler;
import org.glassfish.tyrus.spi.WebSocketEngine;

/**
 * One WebSocket session, run by its connection's task: reads in blocking style, parked on the
 * poller between frames with no buffer held; each batch of bytes is vetted by {@link FrameCheck}
 * and handed to Tyrus, which assembles messages and calls the endpoint on this task.
 *
 * <p>Closing (RFC 6455 section 7): when the client closes, Tyrus answers and the loop ends. When
 * we close (the application, an idle timeout, graceful shutdown), our close frame goes out and
 * the task waits up to the close timeout for the client's. A protocol violation closes with its
 * code and ends at once. An end without a close frame reports 1006 to the endpoint.
 *
 * <p>Threads: {@link #run} and everything it calls run on the task. {@code closing},
 * {@code goingAway} and the activity clock are written by any thread (senders, shutdown) and read
 * by the task, which they wake by moving its read deadline.
 */
public final class WebSocketSession {

    private static final System.Logger LOG = System.getLogger(WebSocketSession.class.getName());

    private final NetpollServerContainer container;
    private final UpgradedConn conn;
    private final WebSocketEngine.UpgradeInfo upgrade;
    private final String path;
    private final long openedAtMillis = System.currentTimeMillis();
    private final long idleTimeoutNanos;
    private final long closeTimeoutNanos;
    private final FrameCheck check;
    private volatile boolean closing;
    private volatile long closeDeadline;
    private volatile boolean goingAway;
    private volatile long lastActivityNanos = System.nanoTime();
    /** Task-owned: set by the frame check's verdict inside a read. */
    private boolean violated;

    WebSocketSession(NetpollServerContainer container, UpgradedConn conn, WebSocketEngine.UpgradeInfo upgrade,
            String path, boolean compressionNegotiated) {
        this.container = container;
        this.conn = conn;
        this.upgrade = upgrade;
        this.path = path;
        WebSocketSettings settings = container.settings();
        this.idleTimeoutNanos = settings.idleTimeout().toNanos();
        this.closeTimeoutNanos = settings.closeTimeout().toNanos();
        this.check = new FrameCheck(compressionNegotiated, container.getDefaultMaxTextMessageBufferSize(),
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
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "WebSocket endpoint on " + path + " failed to open", e);
            return;
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
        }
    }

    private void readFrames(ReadHandler reader, Connection connection) throws IOException {
        if (goingAway) {
            closeFromTask(connection, CloseReason.CloseCodes.GOING_AWAY, "server shutting down");
        }
        for (;;) {
            armDeadline();
            int n;
            try {
                n = conn.read(bytes -> {
                    if (!check.scan(bytes)) {
                        violated = true;
                    } else if (!closing) {
                        reader.handle(bytes);
                    }
                });
            } catch (DeadlineExceededException e) {
                if (closing) {
                    return; // our close frame got no answer in time
                }
                if (goingAway) {
                    closeFromTask(connection, CloseReason.CloseCodes.GOING_AWAY, "server shutting down");
                } else if (idleTimeoutNanos > 0 && System.nanoTime() - lastActivityNanos >= idleTimeoutNanos) {
                    closeFromTask(connection, CloseReason.CloseCodes.GOING_AWAY, "idle timeout");
                }
                continue;
            }
            if (n < 0) {
                return;
            }
            lastActivityNanos = System.nanoTime();
            if (violated) {
                // RFC 6455 section 7.1.7: fail the connection; nothing after the bad frame is read.
                closing = true;
                connection.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(check.closeCode()), check.reason()));
                return;
            }
            if (closing && check.closeFrameSeen()) {
                return;
            }
        }
    }

    /** Sends our close frame from the task (behind any send in progress) and waits for the client's. */
    private void closeFromTask(Connection connection, CloseReason.CloseCodes code, String reason) {
        connection.close(new CloseReason(code, reason));
        closing();
    }

    /**
     * Sets the read deadline for the next wait, then re-checks the flags other threads set before
     * moving it themselves, so that neither order loses a wake-up.
     */
    private void armDeadline() {
        long deadline;
        if (closing) {
            deadline = closeDeadline;
        } else if (idleTimeoutNanos > 0) {
            deadline = lastActivityNanos + idleTimeoutNanos;
        } else {
            deadline = 0;
        }
        conn.setReadDeadline(deadline);
        if (goingAway && !closing) {
            conn.setReadDeadline(System.nanoTime());
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

    /** Graceful shutdown: the task closes the session with 1001 after the sends in flight. Any thread. */
    void goAway() {
        goingAway = true;
        conn.setReadDeadline(System.nanoTime());
    }
}
