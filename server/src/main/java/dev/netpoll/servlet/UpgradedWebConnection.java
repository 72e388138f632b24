package dev.netpoll.servlet;

import dev.netpoll.http.UpgradedConn;
import jakarta.servlet.ReadListener;
import jakarta.servlet.http.WebConnection;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;

/**
 * The {@link WebConnection} an upgrade handler gets: blocking streams over the upgraded socket,
 * or, once the handler sets a {@code ReadListener}, non-blocking reads whose callbacks run on
 * the connection's task, parked on the poller between them holding no buffer.
 *
 * <p>{@link #getUpgradedConn()} gives Netpoll's own protocols (WebSocket) the socket itself.
 */
public final class UpgradedWebConnection implements WebConnection {

    private final UpgradedConn conn;
    private final UpgradedInputStream input;
    private final UpgradedOutputStream output;
    /** Counted down once by {@link #close()}, from any thread; the task waits on it when no listener reads. */
    private final CountDownLatch closed = new CountDownLatch(1);

    UpgradedWebConnection(UpgradedConn conn) {
        this.conn = conn;
        this.input = new UpgradedInputStream(conn);
        this.output = new UpgradedOutputStream(conn);
    }

    /** The upgraded socket, for protocols that read it in blocking style on the connection's task. */
    public UpgradedConn getUpgradedConn() {
        return conn;
    }

    @Override
    public UpgradedInputStream getInputStream() {
        return input;
    }

    @Override
    public UpgradedOutputStream getOutputStream() {
        return output;
    }

    /** Closes the socket and ends the connection; any thread, idempotent. */
    @Override
    public void close() {
        closed.countDown();
        conn.close();
    }

    /**
     * Runs on the connection's task after {@code init}: calls the read listener while data comes,
     * parking in between; without a listener, waits until the handler closes the connection
     * (a forced shutdown interrupts the wait).
     */
    void serveReadListener() throws IOException {
        ReadListener listener = input.listener();
        if (listener == null) {
            try {
                closed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        while (closed.getCount() > 0) {
            try {
                if (input.isFinished()) {
                    listener.onAllDataRead();
                    return;
                }
                if (!input.isReady()) {
                    conn.awaitReadable();
                    continue;
                }
                listener.onDataAvailable();
            } catch (Throwable t) {
                if (closed.getCount() > 0) {
                    listener.onError(t);
                }
                return;
            }
        }
    }
}
