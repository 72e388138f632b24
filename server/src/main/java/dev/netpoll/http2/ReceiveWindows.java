package dev.netpoll.http2;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Receive-side flow control (RFC 9113 section 6.9): how much request body the client may still
 * send on the connection and on each stream, and the WINDOW_UPDATEs that give read bytes back.
 * Updates are sent only once half a window has been read, so that an application reading a few
 * bytes at a time does not cost a frame per read.
 *
 * <p>The reading task takes from the windows as DATA arrives; stream tasks give back as the
 * application reads. The connection's window and its pending credit are atomic; a stream's
 * window is {@link H2Stream#recvWindow} and its pending credit {@link H2Stream#unacked}, both atomic.
 */
final class ReceiveWindows {

    private final FrameWriter writer;
    private final int connectionWindow;
    private final int streamWindow;
    private final AtomicInteger window;
    /** Bytes read by applications (or dropped) and not yet given back on stream 0. */
    private final AtomicInteger pending = new AtomicInteger();

    ReceiveWindows(FrameWriter writer, int connectionWindow, int streamWindow) {
        this.writer = writer;
        this.connectionWindow = connectionWindow;
        this.streamWindow = streamWindow;
        this.window = new AtomicInteger(connectionWindow);
    }

    /** Reader: a DATA frame of {@code length} bytes arrived; false if it passes the connection window. */
    boolean takeConnection(int length) {
        if (length > window.get()) {
            return false;
        }
        window.addAndGet(-length);
        return true;
    }

    /** Reader: the frame's share of the stream's window; false if it passes it. */
    boolean takeStream(H2Stream s, int length) {
        if (length > s.recvWindow.get()) {
            return false;
        }
        s.recvWindow.addAndGet(-length);
        return true;
    }

    /**
     * Reader: padding, which nobody reads, back to the stream's credit. Batched with what the
     * application reads, not sent at once: a WINDOW_UPDATE per padded frame would let a client
     * buy one of our frames with every 10-byte frame of its own.
     */
    void padding(H2Stream s, int n) {
        credit(s, n);
    }

    /** Stream task: the application read {@code n} bytes of the stream's body. */
    void consumed(H2Stream s, int n) {
        credit(s, n);
        giveBack(n);
    }

    /**
     * Adds to the stream's pending credit and sends it once it reaches half the window: an update
     * for less than that would cost a frame for little. The pending credit never reaches half a
     * window, so what it withholds never shuts the client's window.
     */
    private void credit(H2Stream s, int n) {
        if (s.remoteEnded || s.isReset()) {
            return; // the client sends no more on this stream
        }
        int now = s.unacked.addAndGet(n);
        if (now >= streamWindow / 2 && s.unacked.compareAndSet(now, 0)) {
            s.recvWindow.addAndGet(now);
            try {
                writer.windowUpdate(s, now);
            } catch (IOException e) {
                // the connection is failing; the reader sees it
            }
        }
    }

    /** Returns {@code n} bytes to the connection window, in WINDOW_UPDATEs of at least half the window. */
    void giveBack(int n) {
        int now = pending.addAndGet(n);
        if (now >= connectionWindow / 2 && pending.compareAndSet(now, 0)) {
            window.addAndGet(now);
            try {
                writer.windowUpdate(now);
            } catch (IOException e) {
                // the connection is failing; the reader sees it
            }
        }
    }
}
