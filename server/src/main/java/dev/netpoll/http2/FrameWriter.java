package dev.netpoll.http2;

import dev.netpoll.poll.Conn;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The connection's one way out: every frame, from the reading task (SETTINGS ACK, PING ACK,
 * WINDOW_UPDATE, RST_STREAM, GOAWAY) and from the stream tasks (HEADERS, DATA), leaves through
 * here, one frame (or one HEADERS + CONTINUATION run, section 6.10) at a time under
 * {@code writeLock}, each write under the write timeout. A frame is never split by another.
 *
 * <p>Send-side flow control (section 6.9) lives here too: the connection window and every
 * stream's window ({@link H2Stream#sendWindow}) are guarded by {@code flowLock}; a stream task
 * whose window is exhausted parks on {@code windowOpened} until a WINDOW_UPDATE or SETTINGS
 * credits it, without holding {@code writeLock}, so other streams keep writing. A window that
 * stays shut past the write timeout cuts the connection off (a zero-window stall).
 */
final class FrameWriter {

    private final Conn conn;
    private final long writeTimeoutNanos;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ReentrantLock flowLock = new ReentrantLock();
    private final Condition windowOpened = flowLock.newCondition();
    /** Guarded by flowLock. */
    private long connectionWindow = Frame.DEFAULT_WINDOW;
    /** The peer's SETTINGS_MAX_FRAME_SIZE; written by the reading task. */
    private volatile int peerMaxFrameSize = Frame.DEFAULT_MAX_FRAME_SIZE;
    /**
     * Set once when the connection ends or a write fails; waiters for a window give up and no
     * frame is written after it. Set under flowLock (for the wake-up), read by write under writeLock.
     */
    private volatile boolean closed;

    FrameWriter(Conn conn, long writeTimeoutNanos) {
        this.conn = conn;
        this.writeTimeoutNanos = writeTimeoutNanos;
    }

    int peerMaxFrameSize() {
        return peerMaxFrameSize;
    }

    void peerMaxFrameSize(int size) {
        peerMaxFrameSize = size;
    }

    // ---- frames

    private static void header(byte[] into, int at, int length, int type, int flags, int streamId) {
        into[at] = (byte) (length >>> 16);
        into[at + 1] = (byte) (length >>> 8);
        into[at + 2] = (byte) length;
        into[at + 3] = (byte) type;
        into[at + 4] = (byte) flags;
        into[at + 5] = (byte) (streamId >>> 24 & 0x7F);
        into[at + 6] = (byte) (streamId >>> 16);
        into[at + 7] = (byte) (streamId >>> 8);
        into[at + 8] = (byte) streamId;
    }

    private static void int32(byte[] into, int at, int value) {
        into[at] = (byte) (value >>> 24);
        into[at + 1] = (byte) (value >>> 16);
        into[at + 2] = (byte) (value >>> 8);
        into[at + 3] = (byte) value;
    }

    /**
     * Any failure ends the writer and the connection: a write that fails (a deadline, an
     * interrupt) may have sent part of a frame, and whatever followed it would be read by the
     * client from inside that frame, corrupting every stream. {@code closed} is checked under
     * {@code writeLock}, so no write starts after a failed one.
     */
    private void write(ByteBuffer... buffers) throws IOException {
        writeLock.lock();
        try {
            if (closed) {
                throw new IOException("HTTP/2 connection closed");
            }
            conn.setWriteDeadline(System.nanoTime() + writeTimeoutNanos);
            if (buffers.length == 1) {
                conn.write(buffers[0]);
            } else {
                conn.write(buffers, 0, buffers.length);
            }
        } catch (IOException e) {
            wakeWaiters(true);
            conn.close();
            throw e;
        } finally {
            writeLock.unlock();
        }
    }

    /** Our SETTINGS: {@code settings} holds identifier/value pairs. */
    void settings(int... settings) throws IOException {
        byte[] frame = new byte[Frame.HEADER_LENGTH + settings.length / 2 * 6];
        header(frame, 0, settings.length / 2 * 6, Frame.SETTINGS, 0, 0);
        for (int i = 0, at = Frame.HEADER_LENGTH; i < settings.length; i += 2, at += 6) {
            frame[at] = (byte) (settings[i] >>> 8);
            frame[at + 1] = (byte) settings[i];
            int32(frame, at + 2, settings[i + 1]);
        }
        write(ByteBuffer.wrap(frame));
    }

    void settingsAck() throws IOException {
        byte[] frame = new byte[Frame.HEADER_LENGTH];
        header(frame, 0, 0, Frame.SETTINGS, Frame.FLAG_ACK, 0);
        write(ByteBuffer.wrap(frame));
    }

    void pingAck(byte[] opaque) throws IOException {
        byte[] frame = new byte[Frame.HEADER_LENGTH + 8];
        header(frame, 0, 8, Frame.PING, Frame.FLAG_ACK, 0);
        System.arraycopy(opaque, 0, frame, Frame.HEADER_LENGTH, 8);
        write(ByteBuffer.wrap(frame));
    }

    void windowUpdate(int streamId, int increment) throws IOException {
        byte[] frame = new byte[Frame.HEADER_LENGTH + 4];
        header(frame, 0, 4, Frame.WINDOW_UPDATE, 0, streamId);
        int32(frame, Frame.HEADER_LENGTH, increment);
        write(ByteBuffer.wrap(frame));
    }

    void rstStream(int streamId, int code) throws IOException {
        byte[] frame = new byte[Frame.HEADER_LENGTH + 4];
        header(frame, 0, 4, Frame.RST_STREAM, 0, streamId);
        int32(frame, Frame.HEADER_LENGTH, code);
        write(ByteBuffer.wrap(frame));
    }

    /** GOAWAY (section 6.8) with the last stream we process, the code, and the reason as debug data. */
    void goAway(int lastStreamId, int code, String reason) throws IOException {
        byte[] debug = reason == null ? new byte[0] : reason.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int length = 8 + Math.min(debug.length, 256);
        byte[] frame = new byte[Frame.HEADER_LENGTH + length];
        header(frame, 0, length, Frame.GOAWAY, 0, 0);
        int32(frame, Frame.HEADER_LENGTH, lastStreamId);
        int32(frame, Frame.HEADER_LENGTH + 4, code);
        System.arraycopy(debug, 0, frame, Frame.HEADER_LENGTH + 8, length - 8);
        write(ByteBuffer.wrap(frame));
    }

    /**
     * A header block as HEADERS and as many CONTINUATION frames as the peer's frame size needs,
     * in one write so that no other frame comes between them (section 4.3). Followed, in the
     * same write, by {@code data[off, off + len)} as one DATA frame when {@code len >= 0} (the
     * caller has taken the window for it); END_STREAM goes on the last frame if {@code endStream}.
     */
    void headers(int streamId, HeaderBlock block, boolean endStream, byte[] data, int off, int len) throws IOException {
        int max = peerMaxFrameSize;
        int frames = Math.max(1, (block.length + max - 1) / max);
        boolean withData = len >= 0;
        byte[] out = new byte[frames * Frame.HEADER_LENGTH + block.length + (withData ? Frame.HEADER_LENGTH + len : 0)];
        int at = 0;
        for (int i = 0, from = 0; i < frames; i++) {
            int n = Math.min(max, block.length - from);
            int flags = i == frames - 1 ? Frame.FLAG_END_HEADERS : 0;
            if (i == 0 && endStream && !withData) {
                flags |= Frame.FLAG_END_STREAM;
            }
            header(out, at, n, i == 0 ? Frame.HEADERS : Frame.CONTINUATION, flags, streamId);
            System.arraycopy(block.bytes, from, out, at + Frame.HEADER_LENGTH, n);
            at += Frame.HEADER_LENGTH + n;
            from += n;
        }
        if (withData) {
            header(out, at, len, Frame.DATA, endStream ? Frame.FLAG_END_STREAM : 0, streamId);
            System.arraycopy(data, off, out, at + Frame.HEADER_LENGTH, len);
        }
        write(ByteBuffer.wrap(out));
    }

    /** One DATA frame; the caller has taken {@code len} from the windows ({@link #reserve}). */
    void data(int streamId, byte[] data, int off, int len, boolean endStream) throws IOException {
        byte[] head = new byte[Frame.HEADER_LENGTH];
        header(head, 0, len, Frame.DATA, endStream ? Frame.FLAG_END_STREAM : 0, streamId);
        write(ByteBuffer.wrap(head), ByteBuffer.wrap(data, off, len));
    }

    // ---- flow control

    /**
     * Takes up to {@code wanted} bytes from the stream's and the connection's send windows, at
     * most a frame's worth, parking while either is shut. Returns how many were taken (at least 1).
     *
     * @throws WindowStallException neither opened within the write timeout
     * @throws IOException the stream was reset or the connection ended meanwhile
     */
    int reserve(H2Stream stream, int wanted) throws IOException {
        long deadline = System.nanoTime() + writeTimeoutNanos;
        flowLock.lock();
        try {
            for (;;) {
                if (closed) {
                    throw new IOException("HTTP/2 connection closed");
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
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted while waiting for the peer's flow-control window");
                } finally {
                    stream.parkedOnWindow = false;
                }
            }
        } finally {
            flowLock.unlock();
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

    /** Wakes window waiters to see a reset or the end of the connection. */
    void wakeWaiters(boolean connectionClosed) {
        flowLock.lock();
        try {
            if (connectionClosed) {
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
