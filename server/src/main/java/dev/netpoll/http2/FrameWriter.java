package dev.netpoll.http2;

import dev.netpoll.http.ClientAbortException;
import dev.netpoll.poll.Conn;
import dev.netpoll.sys.NativeBufferPool;
import java.io.IOException;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The connection's one way out: every frame, from the reading task (SETTINGS ACK, PING ACK,
 * WINDOW_UPDATE, RST_STREAM, GOAWAY) and from the stream tasks (HEADERS, DATA), is encoded here
 * into the connection's {@link BatchedOutput}, whole: a frame (or a HEADERS + CONTINUATION run,
 * section 6.10) is never split by another. Writers do not wait for the socket; a flusher task
 * writes what they appended, many frames per write. What must be on the wire before the output
 * ends (GOAWAY) is flushed and waited for.
 *
 * <p>Send-side flow control (section 6.9) lives here too: the connection window and every
 * stream's window ({@link H2Stream#sendWindow}) are guarded by {@code flowLock}; a stream task
 * whose window is exhausted parks on {@code windowOpened} until a WINDOW_UPDATE or SETTINGS
 * credits it, holding no frame, so other streams keep writing. A window that stays shut past
 * the write timeout cuts the connection off (a zero-window stall).
 */
final class FrameWriter {

    private static final byte[] NO_PAYLOAD = new byte[0];

    private final Conn conn;
    private final long writeTimeoutNanos;
    private final BatchedOutput output;
    private final ReentrantLock flowLock = new ReentrantLock();
    private final Condition windowOpened = flowLock.newCondition();
    /** Guarded by flowLock. */
    private long connectionWindow = Frame.DEFAULT_WINDOW;
    /** The peer's SETTINGS_MAX_FRAME_SIZE; written by the reading task. */
    private volatile int peerMaxFrameSize = Frame.DEFAULT_MAX_FRAME_SIZE;
    /**
     * Set once when the connection ends or a write fails: waiters for a window give up. Set
     * under flowLock (for the wake-up); the output refuses frames from then on by itself.
     */
    private volatile boolean closed;

    /** {@code buffers} lends the batches; {@code flushers} starts the task that writes them. */
    FrameWriter(Conn conn, long writeTimeoutNanos, NativeBufferPool buffers, Executor flushers) {
        this.conn = conn;
        this.writeTimeoutNanos = writeTimeoutNanos;
        this.output = new BatchedOutput(conn, writeTimeoutNanos, buffers, flushers, () -> wakeWaiters(true));
    }

    int peerMaxFrameSize() {
        return peerMaxFrameSize;
    }

    void peerMaxFrameSize(int size) {
        peerMaxFrameSize = size;
    }

    // ---- frames

    /**
     * Appends one frame with {@code payload[off, off + len)}. A {@code stream} given must not be
     * reset: checked while this frame is held, and our RST_STREAM must take the frame too, so no
     * frame of a stream follows our RST_STREAM for it (section 5.1).
     */
    private void frame(H2Stream stream, int type, int flags, int streamId, byte[] payload, int off, int len)
            throws IOException {
        if (!begin(stream)) {
            return;
        }
        try {
            if (stream != null) {
                stream.checkWritable();
            }
            appendWhole(() -> {
                output.header(len, type, flags, streamId);
                output.append(payload, off, len);
            });
        } finally {
            output.endFrame();
        }
    }

    /**
     * Takes the output for one frame (or run of frames); false when our FIN is already out. Then
     * a stream's frame fails, since its answer can no longer reach the client (the handler learns
     * as from a client abort), while the answer to a client's control frame (PING, SETTINGS, a
     * refused stream) is just not sent.
     */
    private boolean begin(H2Stream stream) throws IOException {
        if (output.beginFrame()) {
            return true;
        }
        if (stream != null) {
            throw new ClientAbortException("HTTP/2 connection output ended (GOAWAY and FIN sent)");
        }
        return false;
    }

    private interface Appending {
        void run() throws IOException;
    }

    /**
     * A frame that could not be appended whole (no room within the write timeout, an interrupt)
     * may be in the batch in part, and whatever followed would be read by the client from inside
     * it, corrupting every stream: such a failure ends the connection.
     */
    private void appendWhole(Appending appending) throws IOException {
        try {
            appending.run();
        } catch (IOException e) {
            output.close();
            wakeWaiters(true);
            conn.close();
            throw e;
        }
    }

    /** Returns once every frame appended so far is written; for what must precede the end of our output. */
    void flush() throws IOException {
        output.flush();
    }

    /** Writes every frame appended so far, then our FIN; later frames are dropped (see {@link BatchedOutput#shutdownOutput}). */
    void shutdownOutput() throws IOException {
        output.shutdownOutput();
        // A stream still waiting for window (a connection error cut it off) will never send.
        signalWindowWaiters(true);
    }

    /** Our SETTINGS: {@code settings} holds identifier/value pairs. */
    void settings(int... settings) throws IOException {
        byte[] payload = new byte[settings.length / 2 * 6];
        for (int i = 0, at = 0; i < settings.length; i += 2, at += 6) {
            payload[at] = (byte) (settings[i] >>> 8);
            payload[at + 1] = (byte) settings[i];
            Frames.putInt32(payload, at + 2, settings[i + 1]);
        }
        frame(null, Frame.SETTINGS, 0, 0, payload, 0, payload.length);
    }

    void settingsAck() throws IOException {
        frame(null, Frame.SETTINGS, Frame.FLAG_ACK, 0, NO_PAYLOAD, 0, 0);
    }

    void pingAck(byte[] opaque) throws IOException {
        frame(null, Frame.PING, Frame.FLAG_ACK, 0, opaque, 0, 8);
    }

    /** WINDOW_UPDATE on the connection. */
    void windowUpdate(int increment) throws IOException {
        windowUpdate(null, 0, increment);
    }

    /** WINDOW_UPDATE on a stream, unless we have reset it (see {@link #frame}). */
    void windowUpdate(H2Stream stream, int increment) throws IOException {
        windowUpdate(stream, stream.id, increment);
    }

    private void windowUpdate(H2Stream stream, int streamId, int increment) throws IOException {
        byte[] payload = new byte[4];
        Frames.putInt32(payload, 0, increment);
        frame(stream, Frame.WINDOW_UPDATE, 0, streamId, payload, 0, 4);
    }

    void rstStream(int streamId, int code) throws IOException {
        byte[] payload = new byte[4];
        Frames.putInt32(payload, 0, code);
        frame(null, Frame.RST_STREAM, 0, streamId, payload, 0, 4);
    }

    /**
     * GOAWAY (section 6.8) with the last stream we process, the code, and the reason as debug
     * data; written before this returns, since the connection's output ends after it.
     */
    void goAway(int lastStreamId, int code, String reason) throws IOException {
        byte[] debug = reason == null ? new byte[0] : reason.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int length = 8 + Math.min(debug.length, 256);
        byte[] payload = new byte[length];
        Frames.putInt32(payload, 0, lastStreamId);
        Frames.putInt32(payload, 4, code);
        System.arraycopy(debug, 0, payload, 8, length - 8);
        frame(null, Frame.GOAWAY, 0, 0, payload, 0, length);
        output.flush();
    }

    /**
     * A header block as HEADERS and as many CONTINUATION frames as the peer's frame size needs,
     * with no other frame between them (section 4.3). Followed by {@code data[off, off + len)}
     * as one DATA frame when {@code len >= 0} (the caller has taken the window for it);
     * END_STREAM goes on the last frame if {@code endStream}. {@code stream}, when given, must
     * not be reset (see {@link #frame}); a refused stream's answer passes null.
     */
    void headers(H2Stream stream, int streamId, HeaderBlock block, boolean endStream, byte[] data, int off, int len)
            throws IOException {
        int max = peerMaxFrameSize;
        int frames = Math.max(1, (block.length + max - 1) / max);
        boolean withData = len >= 0;
        if (!begin(stream)) {
            return;
        }
        try {
            if (stream != null) {
                stream.checkWritable();
            }
            appendWhole(() -> {
                for (int i = 0, from = 0; i < frames; i++) {
                    int n = Math.min(max, block.length - from);
                    int flags = i == frames - 1 ? Frame.FLAG_END_HEADERS : 0;
                    if (i == 0 && endStream && !withData) {
                        flags |= Frame.FLAG_END_STREAM;
                    }
                    output.header(n, i == 0 ? Frame.HEADERS : Frame.CONTINUATION, flags, streamId);
                    output.append(block.bytes, from, n);
                    from += n;
                }
                if (withData) {
                    output.header(len, Frame.DATA, endStream ? Frame.FLAG_END_STREAM : 0, streamId);
                    output.append(data, off, len);
                }
            });
        } finally {
            output.endFrame();
        }
    }

    /** One DATA frame of {@code stream}; the caller has taken {@code len} from the windows ({@link #reserve}). */
    void data(H2Stream stream, byte[] data, int off, int len, boolean endStream) throws IOException {
        frame(stream, Frame.DATA, endStream ? Frame.FLAG_END_STREAM : 0, stream.id, data, off, len);
    }

    // ---- flow control

    /**
     * Takes up to {@code wanted} bytes from the stream's and the connection's send windows, at
     * most a frame's worth, parking while either is shut. Returns how many were taken (at least 1).
     * Ignores interrupts, as the batch's waits and a socket write do: a flag a handler left set
     * must not cut its answer short; it is set again on the way out.
     *
     * @throws WindowStallException neither opened within the write timeout
     * @throws IOException the stream was reset or the connection ended meanwhile
     */
    int reserve(H2Stream stream, int wanted) throws IOException {
        long deadline = System.nanoTime() + writeTimeoutNanos;
        boolean interrupted = false;
        flowLock.lock();
        try {
            for (;;) {
                // The output closes (a failed write) a moment before its failure callback marks
                // this writer closed: a stream that saw the one must not get window after it.
                if (closed || output.isClosed()) {
                    throw new ClientAbortException("HTTP/2 connection closed");
                }
                stream.checkWritable();
                long available = Math.min(stream.sendWindow, connectionWindow);
                if (available > 0) {
                    int n = (int) Math.min(Math.min(available, wanted), peerMaxFrameSize);
                    stream.sendWindow -= n;
                    connectionWindow -= n;
                    return n;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new WindowStallException(stream.id, writeTimeoutNanos);
                }
                stream.parkedOnWindow = true;
                try {
                    windowOpened.awaitNanos(left);
                } catch (InterruptedException e) {
                    interrupted = true; // the flag is clear now, so the next wait parks
                } finally {
                    stream.parkedOnWindow = false;
                }
            }
        } finally {
            flowLock.unlock();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** WINDOW_UPDATE on the connection; false if the window would pass 2^31 - 1 (section 6.9.1). */
    boolean creditConnection(int increment) {
        flowLock.lock();
        try {
            if (connectionWindow + increment > Frame.MAX_WINDOW) {
                return false;
            }
            connectionWindow += increment;
            windowOpened.signalAll();
            return true;
        } finally {
            flowLock.unlock();
        }
    }

    /** WINDOW_UPDATE on a stream, or a SETTINGS_INITIAL_WINDOW_SIZE change (a negative delta); false on overflow. */
    boolean creditStream(H2Stream stream, long delta) {
        flowLock.lock();
        try {
            if (stream.sendWindow + delta > Frame.MAX_WINDOW) {
                return false;
            }
            stream.sendWindow += delta;
            if (delta > 0) {
                windowOpened.signalAll();
            }
            return true;
        } finally {
            flowLock.unlock();
        }
    }

    /** Wakes window waiters to see a reset or, with {@code connectionClosed}, the end of the connection (no frame goes out after it). */
    void wakeWaiters(boolean connectionClosed) {
        if (connectionClosed) {
            output.close();
        }
        signalWindowWaiters(connectionClosed);
    }

    /** Wakes the streams waiting for window; with {@code ended}, they fail: nothing more can be sent. */
    private void signalWindowWaiters(boolean ended) {
        flowLock.lock();
        try {
            if (ended) {
                closed = true;
            }
            windowOpened.signalAll();
        } finally {
            flowLock.unlock();
        }
    }

    /** How a stream waits for the peer's window, for the runtime view; guarded by flowLock. */
    long connectionWindow() {
        flowLock.lock();
        try {
            return connectionWindow;
        } finally {
            flowLock.unlock();
        }
    }
}
