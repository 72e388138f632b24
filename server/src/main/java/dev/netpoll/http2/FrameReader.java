package dev.netpoll.http2;

import dev.netpoll.poll.Conn;
import dev.netpoll.sys.NativeBuffer;
import dev.netpoll.sys.NativeBufferPool;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Reads frames off the connection (RFC 9113 section 4.1) into {@link #payload}. Restartable: a
 * read that ends by deadline (a wake-up from shutdown or idle expiry) leaves the part of a frame
 * already read where it is, and the next {@link #next} call carries on.
 *
 * <p>Socket bytes go through a buffer borrowed from the server's pool only while something is
 * there to read, so an idle HTTP/2 connection holds none; {@link #payload} is the connection's
 * own array, grown to the largest frame seen (at most our maximum frame size): a connection that
 * only ever sends requests without bodies keeps a few hundred bytes. Owned by the connection's
 * reading task.
 */
final class FrameReader {

    private final Conn conn;
    private final NativeBufferPool pool;
    private NativeBuffer pooled;
    private ByteBuffer buffer;
    private int start;
    private int end;

    private final byte[] header = new byte[Frame.HEADER_LENGTH];
    private int headerRead;
    /** The current frame, valid once {@link #next} returned true. */
    int length;
    int type;
    int flags;
    int streamId;
    byte[] payload = new byte[256];
    private int payloadRead;

    FrameReader(Conn conn, NativeBufferPool pool, byte[] alreadyRead) {
        this.conn = conn;
        this.pool = pool;
        if (alreadyRead.length > 0) {
            borrow();
            buffer.put(0, alreadyRead);
            end = alreadyRead.length;
        }
    }

    /** Reads exactly {@code into.length} bytes (the client preface); false if the stream ended first. */
    boolean readFully(byte[] into) throws IOException {
        int got = 0;
        while (got < into.length) {
            if (start == end && !fill()) {
                return false;
            }
            int n = Math.min(into.length - got, end - start);
            buffer.get(start, into, got, n);
            start += n;
            got += n;
        }
        return true;
    }

    /**
     * Reads the next frame. Returns false at end of stream between frames.
     *
     * @throws Http2Exception FRAME_SIZE_ERROR for a frame longer than we accept (section 4.2)
     * @throws IOException the stream ended inside a frame, a deadline passed, the socket failed
     */
    boolean next() throws IOException, Http2Exception {
        while (headerRead < Frame.HEADER_LENGTH) {
            if (start == end && !fill()) {
                if (headerRead == 0) {
                    return false;
                }
                throw new IOException("connection closed inside a frame header");
            }
            int n = Math.min(Frame.HEADER_LENGTH - headerRead, end - start);
            buffer.get(start, header, headerRead, n);
            start += n;
            headerRead += n;
            if (headerRead == Frame.HEADER_LENGTH) {
                length = (header[0] & 0xFF) << 16 | (header[1] & 0xFF) << 8 | header[2] & 0xFF;
                type = header[3] & 0xFF;
                flags = header[4] & 0xFF;
                streamId = ((header[5] & 0x7F) << 24) | (header[6] & 0xFF) << 16 | (header[7] & 0xFF) << 8 | header[8] & 0xFF;
                payloadRead = 0;
                if (length > Frame.DEFAULT_MAX_FRAME_SIZE) {
                    throw Http2Exception.connection(ErrorCode.FRAME_SIZE_ERROR, Frame.typeName(type) + " frame of " + length
                            + " bytes exceeds SETTINGS_MAX_FRAME_SIZE " + Frame.DEFAULT_MAX_FRAME_SIZE);
                }
                if (length > payload.length) {
                    payload = java.util.Arrays.copyOf(payload, Math.min(Frame.DEFAULT_MAX_FRAME_SIZE,
                            Math.max(length, payload.length * 2)));
                }
            }
        }
        while (payloadRead < length) {
            if (start == end && !fill()) {
                throw new IOException("connection closed inside a " + Frame.typeName(type) + " frame");
            }
            int n = Math.min(length - payloadRead, end - start);
            buffer.get(start, payload, payloadRead, n);
            start += n;
            payloadRead += n;
        }
        headerRead = 0;
        if (start == end) {
            release();
        }
        return true;
    }

    /**
     * Reads more into the empty buffer: parks without a buffer until the socket is readable, so
     * a connection between frames holds none. False at end of stream.
     */
    private boolean fill() throws IOException {
        for (;;) {
            if (pooled == null) {
                conn.awaitReadable();
                borrow();
            }
            start = end = 0;
            buffer.clear();
            int n = conn.readNow(pooled);
            if (n > 0) {
                end = n;
                return true;
            }
            release();
            if (n < 0) {
                return false;
            }
        }
    }

    /** Reads and drops whatever the client still sends, until it closes or the read deadline passes. */
    void discardUntilEnd() throws IOException {
        do {
            start = end;
        } while (fill());
    }

    private void borrow() {
        if (pooled == null) {
            pooled = pool.acquire();
            buffer = pooled.buffer();
            start = end = 0;
        }
    }

    /** Gives the buffer back; whatever it held is dropped (between frames it holds nothing). */
    void release() {
        if (pooled != null) {
            pool.release(pooled);
            pooled = null;
            buffer = null;
        }
        start = end = 0;
    }
}
