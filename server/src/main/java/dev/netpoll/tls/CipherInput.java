package dev.netpoll.tls;

import dev.netpoll.sys.NativeBufferPool;
import dev.netpoll.poll.Conn;
import dev.netpoll.sys.NativeBuffer;
import java.io.IOException;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * The read side of a {@link TlsConn}: ciphertext read from the plain connection and decrypted
 * into the caller's buffer.
 *
 * <p>{@code netIn} holds received ciphertext in read mode ({@code [position, limit)} not yet
 * decrypted) and {@code plainIn} decrypted bytes that did not fit the caller's buffer; each is
 * borrowed from the {@link NativeBufferPool} only while it holds something, so an idle connection holds
 * neither. Owned by whoever holds the {@link TlsConn}'s read lock (the reading task); not
 * thread-safe by itself.
 */
final class CipherInput {

    /** TLS record content type of a handshake message (RFC 8446 section 5.1). */
    private static final int HANDSHAKE_RECORD = 22;
    private static final int RECORD_HEADER = 5;

    /** What the read side does with a handshake message that arrives after the handshake. */
    interface HandshakeMessages {
        void received(HandshakeStatus status) throws IOException;
    }

    private final Conn plain;
    private final NativeBufferPool pool;
    private SSLEngine engine;
    private NativeBuffer netIn;
    private NativeBuffer plainIn;
    // The bytes in netIn are less than a record: only a socket read helps.
    private boolean needMore;
    // The peer sent close_notify or closed its side.
    private boolean inboundDone;

    CipherInput(Conn plain, NativeBufferPool pool) {
        this.plain = plain;
        this.pool = pool;
    }

    void use(SSLEngine engine) {
        this.engine = engine;
    }

    /**
     * Reads the client's first TLS record whole (its ClientHello, with the SNI name) and returns a
     * view of it, failing with {@link NotTlsException} as soon as the first byte shows it is not a
     * handshake record.
     */
    ByteBuffer readFirstRecord() throws IOException {
        for (;;) {
            ByteBuffer in = netIn == null ? null : netIn.buffer();
            if (in != null && in.hasRemaining()) {
                int first = in.get(in.position()) & 0xFF;
                if (first != HANDSHAKE_RECORD) {
                    throw new NotTlsException(first);
                }
                if (in.remaining() >= RECORD_HEADER) {
                    int length = RECORD_HEADER + (in.getShort(in.position() + 3) & 0xFFFF);
                    if (in.remaining() >= Math.min(length, pool.bufferSize())) {
                        return in.asReadOnlyBuffer();
                    }
                }
            }
            if (readMore() < 0) {
                throw new SSLHandshakeException("connection closed before the TLS handshake");
            }
        }
    }

    /** Feeds one handshake record to the engine, reading (and parking) first if none is whole. */
    void unwrapHandshake() throws IOException {
        if (netIn == null || !netIn.buffer().hasRemaining() || needMore) {
            if (readMore() < 0) {
                throw new SSLHandshakeException("connection closed during the TLS handshake");
            }
        }
        ByteBuffer dst = borrowPlainIn();
        SSLEngineResult result = engine.unwrap(netIn.buffer(), dst);
        dst.flip();
        needMore = result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW;
        if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
            throw new SSLHandshakeException("the peer closed TLS during the handshake");
        }
        if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
            throw new SSLHandshakeException("handshake record larger than " + pool.bufferSize() + " bytes");
        }
        if (!dst.hasRemaining()) {
            releasePlainIn();
        }
    }

    /** Whether a read can proceed without the socket: decrypted bytes, a whole record, or the end. */
    boolean ready() {
        return plainIn != null || inboundDone || netIn != null && netIn.buffer().hasRemaining() && !needMore;
    }

    /**
     * Decrypts into {@code dst} from what is buffered: the bytes produced, 0 when a socket read is
     * needed first, -1 after the peer's close_notify.
     */
    int decrypt(ByteBuffer dst, HandshakeMessages messages) throws IOException {
        if (plainIn != null) {
            return copyPlainIn(dst);
        }
        if (inboundDone) {
            return -1;
        }
        while (netIn != null && netIn.buffer().hasRemaining() && !needMore) {
            ByteBuffer src = netIn.buffer();
            SSLEngineResult result = engine.unwrap(src, dst);
            if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                // The caller's room is less than the record: decrypt into a buffer of our own.
                ByteBuffer spill = borrowPlainIn();
                result = engine.unwrap(src, spill);
                spill.flip();
                if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                    throw new SSLException("record larger than " + pool.bufferSize() + " bytes");
                }
                if (!spill.hasRemaining()) {
                    // Nothing decrypted (the record is not all here yet): an empty spill buffer
                    // would pass for plaintext waiting and hide the record once it completes.
                    releasePlainIn();
                }
            }
            switch (result.getStatus()) {
                case BUFFER_UNDERFLOW -> needMore = true;
                case CLOSED -> {
                    inboundDone = true;
                    return plainIn != null ? copyPlainIn(dst) : -1;
                }
                default -> {
                    HandshakeStatus status = result.getHandshakeStatus();
                    if (status != HandshakeStatus.NOT_HANDSHAKING && status != HandshakeStatus.FINISHED) {
                        messages.received(status);
                    }
                    if (plainIn != null) {
                        return copyPlainIn(dst);
                    }
                    if (result.bytesProduced() > 0) {
                        return result.bytesProduced();
                    }
                }
            }
        }
        return 0;
    }

    /**
     * Reads more ciphertext, parking until some arrives: the bytes read, or -1 at end of stream.
     * With no part of a record held, it parks holding no buffer, as a plain connection does: a
     * client that connects and says nothing, or stalls between handshake flights, must not pin a
     * 16 KB record buffer for the whole handshake timeout (thousands of them exhaust direct memory).
     */
    int readMore() throws IOException {
        if (netIn == null || !netIn.buffer().hasRemaining()) {
            releaseIfEmpty();
            for (;;) {
                plain.awaitReadable();
                int n = readArrived();
                if (n != 0) {
                    return n;
                }
                releaseIfEmpty(); // woken for nothing: wait again without the buffer
            }
        }
        NativeBuffer in = borrowNetIn();
        ByteBuffer b = in.buffer();
        b.compact();
        try {
            if (!b.hasRemaining()) {
                throw new SSLException("TLS record larger than " + pool.bufferSize() + " bytes");
            }
            int n = plain.read(in);
            if (n > 0) {
                needMore = false;
            }
            return n;
        } finally {
            b.flip();
        }
    }

    /** Reads the ciphertext that has arrived, without parking: the bytes read, 0 if none, -1 at end of stream. */
    int readArrived() throws IOException {
        NativeBuffer in = borrowNetIn();
        ByteBuffer b = in.buffer();
        b.compact();
        int n;
        try {
            if (!b.hasRemaining()) {
                // As in readMore: a record that does not fit can never complete, and a full buffer
                // reads nothing, so a wait would end at once for ever.
                throw new SSLException("TLS record larger than " + pool.bufferSize() + " bytes");
            }
            n = plain.readNow(in);
        } finally {
            b.flip();
        }
        if (n > 0) {
            needMore = false;
        }
        return n;
    }

    /**
     * The peer closed TCP. Without its close_notify the stream may be truncated (RFC 8446 section
     * 6.1); the HTTP framing above tells a cut request from a complete one, so it is end of stream
     * either way, as in Go.
     */
    int endOfStream() {
        inboundDone = true;
        return plainIn != null ? 0 : -1;
    }

    private int copyPlainIn(ByteBuffer dst) {
        ByteBuffer from = plainIn.buffer();
        int n = Math.min(from.remaining(), dst.remaining());
        dst.put(dst.position(), from, from.position(), n);
        dst.position(dst.position() + n);
        from.position(from.position() + n);
        if (!from.hasRemaining()) {
            releasePlainIn();
        }
        return n;
    }

    private NativeBuffer borrowNetIn() {
        if (netIn == null) {
            netIn = pool.acquire();
            netIn.buffer().limit(0); // read mode, empty
        }
        return netIn;
    }

    private ByteBuffer borrowPlainIn() {
        if (plainIn == null) {
            plainIn = pool.acquire();
        } else {
            plainIn.buffer().compact();
        }
        return plainIn.buffer();
    }

    private void releasePlainIn() {
        if (plainIn != null) {
            pool.release(plainIn);
            plainIn = null;
        }
    }

    /** Gives back the buffers that hold nothing. */
    void releaseIfEmpty() {
        if (netIn != null && !netIn.buffer().hasRemaining()) {
            pool.release(netIn);
            netIn = null;
            needMore = false;
        }
        if (plainIn != null && !plainIn.buffer().hasRemaining()) {
            releasePlainIn();
        }
    }

    /** Gives back both buffers, whatever they hold: the connection is closing. */
    void release() {
        if (netIn != null) {
            pool.release(netIn);
            netIn = null;
        }
        releasePlainIn();
    }
}
