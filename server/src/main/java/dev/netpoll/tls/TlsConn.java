package dev.netpoll.tls;

import dev.netpoll.sys.NativeBufferPool;
import dev.netpoll.poll.Conn;
import dev.netpoll.poll.ConnClosedException;
import dev.netpoll.poll.DeadlineExceededException;
import dev.netpoll.poll.WaitReason;
import dev.netpoll.sys.NativeBuffer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSession;

/**
 * A server-side TLS connection over a plain {@link Conn}, with the JDK's {@link SSLEngine}: a
 * {@code Conn} that encrypts, as Go's {@code crypto/tls.Conn} is a {@code net.Conn}.
 *
 * <p>Blocking style on the caller's task: the handshake runs on the first {@link #read},
 * {@link #awaitReadable()} or {@link #write}, and whenever it or a record read needs bytes the task
 * parks in the plain connection's read, on the poller, like any read. No thread, no selector of its
 * own. The handshake must finish within the handshake timeout, counted from its start.
 *
 * <p>Buffers come from a {@link NativeBufferPool} and are held only while there is something in them
 * (see {@link CipherInput} and {@link CipherOutput}): an idle keep-alive connection holds none.
 *
 * <p>Ownership: {@code input} belongs to whoever holds {@code readLock} (the reading task),
 * {@code output} to whoever holds {@code writeLock}. The handshake holds both, taken in that order
 * (read, then write) everywhere; no path takes the read lock while holding the write lock.
 * {@link #close()} may run on any thread: it takes a lock only by {@code tryLock}, and an operation
 * that holds one releases its buffers on the way out once the connection is closing.
 *
 * <p>Renegotiation (TLS 1.2) is refused: a second handshake after the first fails the connection,
 * as Go's default {@code RenegotiateNever} does. TLS 1.3 key updates are answered.
 */
public final class TlsConn implements Conn {

    private static final System.Logger LOG = System.getLogger(TlsConn.class.getName());
    /**
     * How long a close waits to hand its close_notify to the kernel: short, since close may run on
     * any thread and must not hold it up behind a slow client.
     */
    private static final long CLOSE_NOTIFY_NANOS = Duration.ofMillis(100).toNanos();
    /**
     * How long a half-close waits: it runs on the connection's own task at the end of its output
     * (a lingering close), and a close_notify lost behind a full socket buffer turns the end of a
     * close-delimited body into a truncation to the client (RFC 9112 section 9.8). Go's Close
     * waits 5 s.
     */
    private static final long SHUTDOWN_NOTIFY_NANOS = Duration.ofSeconds(5).toNanos();

    private final Conn plain;
    private final TlsContext context;
    private final Duration handshakeTimeout;
    private final HandshakeStats stats;
    private final ReentrantLock readLock = new ReentrantLock();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CipherInput input;
    private final CipherOutput output;

    // Written under both locks by the handshake; volatile for the lock-free checks of readNow
    // and session().
    private volatile boolean handshaken;
    // Written by the handshake before it bounds reads and writes with it; read under deadlineLock.
    private long handshakeDeadline;
    private IOException handshakeFailure;
    // Made by the handshake once the ClientHello is read (its SNI name picks the certificate),
    // under both locks; published to the lock-free readers by the volatile write of handshaken.
    private SSLEngine engine;
    /**
     * Guards the caller's deadlines, the bounds below, and every call of the plain connection's
     * deadline setters, so that what the plain connection holds is always computed from the
     * latest of both: a caller on another thread setting its deadline while this layer reads or
     * writes for itself (an HTTP/2 flusher during a key update reply; a graceful shutdown expiring
     * a connection whose handshake is ending) must neither lift the layer's bound nor be lost
     * when it ends. Never held while waiting for anything.
     */
    private final ReentrantLock deadlineLock = new ReentrantLock();
    // Guarded by deadlineLock: the caller's deadlines (System.nanoTime, 0 for none).
    private long readDeadline;
    private long writeDeadline;
    // Guarded by deadlineLock: reads are capped by handshakeDeadline while the handshake runs.
    private boolean readBounded;
    // Guarded by deadlineLock: a bound of this layer's own on writes while it writes for itself
    // (the handshake, a key update reply, close_notify), and whether it replaces the caller's
    // deadline, which may be long past (left by the last response), or only caps it.
    private boolean writeBounded;
    private boolean boundReplaces;
    private long writeBound;

    TlsConn(Conn plain, TlsContext context, NativeBufferPool pool, Duration handshakeTimeout, HandshakeStats stats) {
        this.plain = plain;
        this.context = context;
        this.handshakeTimeout = handshakeTimeout;
        this.stats = stats;
        this.input = new CipherInput(plain, pool);
        this.output = new CipherOutput(plain, pool);
    }

    /** The connection under TLS, for a cleartext answer to a peer that does not speak TLS. */
    public Conn plain() {
        return plain;
    }

    /** The negotiated session once the handshake is done, else null. */
    public SSLSession session() {
        return handshaken ? engine.getSession() : null;
    }

    /** The protocol agreed by ALPN ({@code http/1.1}), or null when the client offered none. */
    public String applicationProtocol() {
        String protocol = handshaken ? engine.getApplicationProtocol() : null;
        return protocol == null || protocol.isEmpty() ? null : protocol;
    }

    // ---- handshake

    /** Runs the handshake unless it is done; rethrows its failure to every later caller. */
    public void handshake() throws IOException {
        if (handshaken) {
            return;
        }
        readLock.lock();
        writeLock.lock();
        try {
            if (handshaken) {
                return;
            }
            if (handshakeFailure != null) {
                throw new SSLHandshakeException(handshakeFailure.getMessage());
            }
            handshakeDeadline = System.nanoTime() + handshakeTimeout.toNanos();
            boundReads(true);
            boundWrites(handshakeDeadline, false);
            try {
                ByteBuffer hello = input.readFirstRecord();
                engine = context.newEngine(context.choosesByServerName() ? ClientHelloServerName.find(hello) : null);
                input.use(engine);
                output.use(engine);
                engine.beginHandshake();
                runHandshake();
                handshaken = true;
                stats.record(HandshakeStats.Result.SUCCESS);
            } catch (NotTlsException e) {
                fail(e, HandshakeStats.Result.NOT_TLS);
            } catch (DeadlineExceededException e) {
                fail(new HandshakeTimeoutException(handshakeTimeout), HandshakeStats.Result.TIMEOUT);
            } catch (ConnClosedException e) {
                fail(e, HandshakeStats.Result.FAILED);
            } catch (IOException | RuntimeException e) {
                sendAlert();
                fail(e instanceof IOException io ? io : new SSLHandshakeException(e.toString()), HandshakeStats.Result.FAILED);
            } finally {
                boundReads(false);
                unboundWrites();
                output.release();
                input.releaseIfEmpty();
            }
        } finally {
            writeLock.unlock();
            readLock.unlock();
        }
    }

    private void fail(IOException e, HandshakeStats.Result result) throws IOException {
        handshakeFailure = e;
        stats.record(result);
        LOG.log(System.Logger.Level.DEBUG, () -> "TLS handshake with " + plain.remoteAddress() + " failed: " + e);
        throw e;
    }

    /**
     * After the engine refused the handshake, writes the alert it holds (handshake_failure,
     * certificate_required, protocol_version...), so that the client can say why instead of
     * reporting an unexpected end of stream. Best effort, under the handshake's write deadline.
     */
    private void sendAlert() {
        try {
            output.closeOutbound();
        } catch (IOException | RuntimeException ignored) {
            // The peer is gone, or the engine has nothing to say.
        }
    }

    private void runHandshake() throws IOException {
        for (;;) {
            switch (engine.getHandshakeStatus()) {
                case NEED_TASK -> runDelegatedTasks();
                case NEED_WRAP -> output.wrapHandshake();
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    output.flush(); // the peer answers only what it has received
                    output.release(); // empty after the flush: none held while the peer thinks
                    input.unwrapHandshake();
                }
                case NOT_HANDSHAKING, FINISHED -> {
                    output.flush();
                    return;
                }
            }
        }
    }

    private void runDelegatedTasks() {
        // Certificate checks and key agreement: CPU work, run right here on the connection's task.
        for (Runnable task; (task = engine.getDelegatedTask()) != null; ) {
            task.run();
        }
    }

    /**
     * A record read after the handshake carried a handshake message: a TLS 1.3 key update is
     * answered; anything else (TLS 1.2 renegotiation) fails the connection. Holds readLock.
     */
    private void afterHandshakeMessage(HandshakeStatus status) throws IOException {
        if (!"TLSv1.3".equals(engine.getSession().getProtocol())) {
            LOG.log(System.Logger.Level.DEBUG, () -> "TLS renegotiation refused from " + plain.remoteAddress());
            engine.closeOutbound();
            throw new SSLException("TLS renegotiation refused");
        }
        writeLock.lock();
        try {
            // The caller's write deadline may be long past (set for the last response) or none:
            // the reply gets a bound of its own, else the read that carried the key update fails
            // as if it had timed out.
            boundWrites(System.nanoTime() + handshakeTimeout.toNanos(), true);
            for (HandshakeStatus s = status; ; s = engine.getHandshakeStatus()) {
                if (s == HandshakeStatus.NEED_TASK) {
                    runDelegatedTasks();
                } else if (s == HandshakeStatus.NEED_WRAP) {
                    output.wrapHandshake();
                } else {
                    break;
                }
            }
            output.flush();
        } finally {
            unboundWrites();
            output.release();
            writeLock.unlock();
        }
    }

    // ---- reading

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (!dst.hasRemaining()) {
            return 0;
        }
        handshake();
        readLock.lock();
        try {
            for (;;) {
                int n = input.decrypt(dst, this::afterHandshakeMessage);
                if (n != 0) {
                    return n;
                }
                if (input.readMore() < 0) {
                    return input.endOfStream();
                }
            }
        } finally {
            afterRead();
        }
    }

    /**
     * Decrypts what has arrived without parking. Before the handshake is done this returns 0: the
     * handshake parks, so it runs in {@link #awaitReadable()} (or {@link #read}), which a caller of
     * this method calls first.
     */
    @Override
    public int readNow(NativeBuffer dst) throws IOException {
        ByteBuffer buffer = dst.buffer();
        if (!buffer.hasRemaining() || !handshaken) {
            return 0;
        }
        readLock.lock();
        try {
            int n = input.decrypt(buffer, this::afterHandshakeMessage);
            if (n != 0) {
                return n;
            }
            int arrived = input.readArrived();
            if (arrived < 0) {
                return input.endOfStream();
            }
            return arrived == 0 ? 0 : input.decrypt(buffer, this::afterHandshakeMessage);
        } finally {
            afterRead();
        }
    }

    /** Returns at once when a record or decrypted bytes are waiting; otherwise waits on the socket. */
    @Override
    public void awaitReadable() throws IOException {
        handshake();
        readLock.lock();
        try {
            if (input.ready()) {
                return;
            }
        } finally {
            afterRead();
        }
        plain.awaitReadable();
    }

    private void afterRead() {
        try {
            input.releaseIfEmpty();
            if (closing.get()) {
                input.release();
            }
        } finally {
            readLock.unlock();
        }
    }

    // ---- writing

    @Override
    public void write(ByteBuffer src) throws IOException {
        write(new ByteBuffer[] {src}, 0, 1);
    }

    @Override
    public void write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        handshake();
        writeLock.lock();
        try {
            if (closing.get()) {
                throw new ConnClosedException();
            }
            output.write(srcs, offset, length);
        } finally {
            output.release();
            writeLock.unlock();
        }
    }

    // ---- closing

    /** Sends close_notify, then half-closes the plain connection. */
    @Override
    public void shutdownOutput() throws IOException {
        sendCloseNotify(SHUTDOWN_NOTIFY_NANOS);
        plain.shutdownOutput();
    }

    /**
     * Sends close_notify (RFC 8446 section 6.1) once, if the handshake is done and no write is in
     * progress on another thread, waiting at most {@code boundNanos} for socket room.
     */
    private void sendCloseNotify(long boundNanos) {
        if (!handshaken || !writeLock.tryLock()) {
            return;
        }
        try {
            boundWrites(System.nanoTime() + boundNanos, true);
            output.closeOutbound();
        } catch (IOException e) {
            // The peer is gone or slow: closing without close_notify is all that is left.
        } finally {
            unboundWrites();
            output.release();
            writeLock.unlock();
        }
    }

    @Override
    public void close() {
        if (closing.compareAndSet(false, true)) {
            sendCloseNotify(CLOSE_NOTIFY_NANOS);
        }
        plain.close();
        // Any thread: buffers whose owner is in an operation are released by it on its way out.
        if (readLock.tryLock()) {
            try {
                input.release();
            } finally {
                readLock.unlock();
            }
        }
        if (writeLock.tryLock()) {
            try {
                output.release();
            } finally {
                writeLock.unlock();
            }
        }
    }

    // ---- the rest is the plain connection's

    @Override
    public void setReadDeadline(long deadlineNanos) {
        deadlineLock.lock();
        try {
            readDeadline = deadlineNanos;
            forwardReadDeadline();
        } finally {
            deadlineLock.unlock();
        }
    }

    @Override
    public void setWriteDeadline(long deadlineNanos) {
        deadlineLock.lock();
        try {
            writeDeadline = deadlineNanos;
            forwardWriteDeadline();
        } finally {
            deadlineLock.unlock();
        }
    }

    /** Caps reads by the handshake's deadline while {@code bounded}. */
    private void boundReads(boolean bounded) {
        deadlineLock.lock();
        try {
            readBounded = bounded;
            forwardReadDeadline();
        } finally {
            deadlineLock.unlock();
        }
    }

    /** Under deadlineLock. */
    private void forwardReadDeadline() {
        plain.setReadDeadline(readBounded ? Conn.earlierDeadline(readDeadline, handshakeDeadline) : readDeadline);
    }

    /** This layer writes for itself until {@link #unboundWrites()}, bounded by {@code deadlineNanos}. */
    private void boundWrites(long deadlineNanos, boolean replacesCallers) {
        deadlineLock.lock();
        try {
            writeBounded = true;
            boundReplaces = replacesCallers;
            writeBound = deadlineNanos;
            forwardWriteDeadline();
        } finally {
            deadlineLock.unlock();
        }
    }

    private void unboundWrites() {
        deadlineLock.lock();
        try {
            writeBounded = false;
            forwardWriteDeadline();
        } finally {
            deadlineLock.unlock();
        }
    }

    /** Under deadlineLock. */
    private void forwardWriteDeadline() {
        plain.setWriteDeadline(!writeBounded ? writeDeadline
                : boundReplaces ? writeBound : Conn.earlierDeadline(writeDeadline, writeBound));
    }

    @Override
    public boolean isOpen() {
        return plain.isOpen() && !closing.get();
    }

    @Override
    public WaitReason parkedOn() {
        return plain.parkedOn();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return plain.remoteAddress();
    }

    @Override
    public InetSocketAddress localAddress() {
        return plain.localAddress();
    }

    @Override
    public String toString() {
        return "TlsConn[" + plain + "]";
    }
}
