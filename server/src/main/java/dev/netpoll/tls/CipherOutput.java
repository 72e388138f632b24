package dev.netpoll.tls;

import dev.netpoll.sys.NativeBufferPool;
import dev.netpoll.poll.Conn;
import dev.netpoll.poll.ConnClosedException;
import dev.netpoll.sys.NativeBuffer;
import java.io.IOException;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * The write side of a {@link TlsConn}: plaintext encrypted into {@code netOut} and written to the
 * plain connection. {@code netOut} is in write mode ({@code [0, position)} waiting to be written)
 * and is borrowed from the {@link NativeBufferPool} only for the duration of a write, a handshake or a
 * close. Owned by whoever holds the {@link TlsConn}'s write lock; not thread-safe by itself.
 */
final class CipherOutput {

    private static final ByteBuffer[] NOTHING = {ByteBuffer.allocate(0)};

    private final Conn plain;
    private final NativeBufferPool pool;
    private SSLEngine engine;
    private NativeBuffer netOut;
    /**
     * Set when a write to the plain connection failed: it may have sent part of a record, and
     * whatever followed would be read by the peer as the rest of that record (a bad_record_mac,
     * not the close or the data we meant). Nothing more is written once it is set.
     */
    private boolean broken;

    CipherOutput(Conn plain, NativeBufferPool pool) {
        this.plain = plain;
        this.pool = pool;
    }

    void use(SSLEngine engine) {
        this.engine = engine;
    }

    /** Encrypts and writes all of {@code srcs}, a record at a time (head and body gathered into one when they fit). */
    void write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        while (hasRemaining(srcs, offset, length)) {
            ByteBuffer out = borrow();
            out.clear();
            SSLEngineResult result = engine.wrap(srcs, offset, length, out);
            if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                throw new ConnClosedException();
            }
            if (result.getStatus() != SSLEngineResult.Status.OK) {
                throw new SSLException("TLS wrap failed: " + result.getStatus());
            }
            flush();
        }
    }

    /**
     * Wraps the engine's next handshake message into {@code netOut} without writing it, so that a
     * whole flight (ServerHello to Finished) leaves in one write; writes first if it is full.
     */
    void wrapHandshake() throws IOException {
        ByteBuffer out = borrow();
        SSLEngineResult result = engine.wrap(NOTHING, out);
        if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
            if (out.position() == 0) {
                throw new SSLHandshakeException("handshake message larger than " + pool.bufferSize() + " bytes");
            }
            flush();
        } else if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
            flush(); // the alert that says why
            throw new SSLHandshakeException("TLS handshake refused");
        }
    }

    /**
     * Closes the engine's outbound side and writes what it produces: close_notify (RFC 8446
     * section 6.1), or after a failed handshake the alert that says why.
     */
    void closeOutbound() throws IOException {
        if (engine == null || engine.isOutboundDone()) {
            return;
        }
        engine.closeOutbound();
        if (broken) {
            return; // the peer sees the record cut short by the close: the end is not clean either way
        }
        ByteBuffer out = borrow();
        out.clear();
        engine.wrap(NOTHING, out);
        flush();
    }

    /** Writes what {@code netOut} holds and clears it. */
    void flush() throws IOException {
        if (broken) {
            throw new IOException("TLS output unusable: an earlier write to the socket failed, maybe part-way through a record");
        }
        if (netOut == null || netOut.buffer().position() == 0) {
            return;
        }
        ByteBuffer out = netOut.buffer();
        out.flip();
        try {
            plain.write(netOut);
        } catch (IOException | RuntimeException e) {
            broken = true;
            throw e;
        } finally {
            out.clear();
        }
    }

    void release() {
        if (netOut != null) {
            pool.release(netOut);
            netOut = null;
        }
    }

    private ByteBuffer borrow() {
        if (netOut == null) {
            netOut = pool.acquire();
        }
        return netOut.buffer();
    }

    private static boolean hasRemaining(ByteBuffer[] srcs, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (srcs[i].hasRemaining()) {
                return true;
            }
        }
        return false;
    }
}
