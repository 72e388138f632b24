package dev.netpoll.tls;

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
import javax.net.ssl.SSLEngineResult;
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
 * <p>Buffers come from a {@link RecordPool} and are held only while there is something in them:
 * {@code netIn} while received ciphertext is not yet decrypted (a partial record, or records after
 * the one just read), {@code plainIn} while decrypted bytes did not fit the caller's buffer,
 * {@code netOut} during a write. An idle keep-alive connection holds none of them.
 *
 * <p>Ownership: {@code netIn}, {@code plainIn}, {@code needMore} and {@code inboundDone} belong to
 * whoever holds {@code readLock} (the reading task); {@code netOut} to whoever holds
 * {@code writeLock}. The handshake holds both, taken in that order (read, then write) everywhere.
 * {@link #close()} may run on any thread: it takes a lock only by {@code tryLock}, and an operation
 * that holds one releases its buffers on the way out once the connection is closing.
 *
 * <p>Renegotiation (TLS 1.2) is refused: a second handshake after the first fails the connection,
 * as Go's default {@code RenegotiateNever} does. TLS 1.3 key updates are answered.
 */
public final class TlsConn implements Conn {

    private static final System.Logger LOG = System.getLogger(TlsConn.class.getName());
    /** TLS record content type of a handshake message (RFC 8446 section 5.1). */
    private static final int HANDSHAKE_RECORD = 22;
    /** How long a close waits to hand its close_notify to the kernel. */
    private static final long CLOSE_NOTIFY_NANOS = Duration.ofMillis(100).toNanos();
    private static final ByteBuffer[] NOTHING = {ByteBuffer.allocate(0)};

    private final Conn plain;
    private final TlsContext context;
    private final RecordPool pool;
    private final Duration handshakeTimeout;
    private final HandshakeStats stats;
    private final ReentrantLock readLock = new ReentrantLock();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final AtomicBoolean closing = new AtomicBoolean();

    // Written under both locks by the handshake; volatile for the lock-free checks of readNow and
    // of the deadline setters.
    private volatile boolean handshaken;
    private volatile boolean handshaking;
    private volatile long handshakeDeadline;
    private IOException handshakeFailure;
    // Made by the handshake once the ClientHello is read (its SNI name picks the certificate),
    // under both locks; published to the lock-free readers by the volatile write of handshaken.
    private SSLEngine engine;
    // The caller's deadlines, forwarded to the plain connection (the earlier of them and the
    // handshake's while it runs).
    private volatile long readDeadline;
    private volatile long writeDeadline;

    // readLock: received ciphertext in read mode ([position, limit) not yet decrypted), or null.
    private NativeBuffer netIn;
    // readLock: decrypted bytes in read mode that did not fit the caller's buffer, or null.
    private NativeBuffer plainIn;
    // readLock: the bytes in netIn are less than a record; only a socket read helps.
    private boolean needMore;
    // readLock: the peer sent close_notify or closed its side.
    private boolean inboundDone;
    // writeLock: ciphertext being written, or null.
    private NativeBuffer netOut;

    TlsConn(Conn plain, TlsContext context, RecordPool pool, Duration handshakeTimeout, HandshakeStats stats) {
        this.plain = plain;
        this.context = context;
        this.pool = pool;
        this.handshakeTimeout = handshakeTimeout;
        this.stats = stats;
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
            handshaking = true;
            plain.setReadDeadline(earlier(readDeadline, handshakeDeadline));
            plain.setWriteDeadline(earlier(writeDeadline, handshakeDeadline));
            try {
                readFirstRecord();
                engine = context.newEngine(context.choosesByServerName() ? ClientHelloServerName.find(netIn.buffer()) : null);
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
                handshaking = false;
                plain.setReadDeadline(readDeadline);
                plain.setWriteDeadline(writeDeadline);
                releaseOutput();
                releaseInputIfEmpty();
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
        if (engine == null) {
            return;
        }
        try {
            engine.closeOutbound();
            ByteBuffer out = borrowNetOut();
            out.clear();
            engine.wrap(NOTHING, out);
            flushOutput();
        } catch (IOException | RuntimeException ignored) {
            // The peer is gone, or the engine has nothing to say.
        }
    }

    private void runHandshake() throws IOException {
        for (;;) {
            switch (engine.getHandshakeStatus()) {
                case NEED_TASK -> runDelegatedTasks();
                case NEED_WRAP -> wrapHandshake();
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    flushOutput(); // the peer answers only what it has received
                    unwrapHandshake();
                }
                case NOT_HANDSHAKING, FINISHED -> {
                    flushOutput();
                    return;
                }
            }
        }
    }

    /**
     * Reads the client's first TLS record whole (its ClientHello, with the SNI name), failing with
     * {@link NotTlsException} as soon as the first byte shows it is not a handshake record.
     */
    private void readFirstRecord() throws IOException {
        for (;;) {
            ByteBuffer in = netIn == null ? null : netIn.buffer();
            if (in != null && in.hasRemaining()) {
                int first = in.get(in.position()) & 0xFF;
                if (first != HANDSHAKE_RECORD) {
                    throw new NotTlsException(first);
                }
                if (in.remaining() >= 5) {
                    int length = 5 + (in.getShort(in.position() + 3) & 0xFFFF);
                    if (in.remaining() >= Math.min(length, pool.bufferSize())) {
                        return;
                    }
                }
            }
            if (readMore() < 0) {
                throw new SSLHandshakeException("connection closed before the TLS handshake");
            }
        }
    }

    private void unwrapHandshake() throws IOException {
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

    /** Wraps handshake messages into {@code netOut}, writing it out first if it is full. */
    private void wrapHandshake() throws IOException {
        ByteBuffer out = borrowNetOut();
        SSLEngineResult result = engine.wrap(NOTHING, out);
        if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
            if (out.position() == 0) {
                throw new SSLHandshakeException("handshake message larger than " + pool.bufferSize() + " bytes");
            }
            flushOutput();
        } else if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
            flushOutput(); // the alert that says why
            throw new SSLHandshakeException("TLS handshake refused");
        }
    }

    private void runDelegatedTasks() {
        // Certificate checks and key agreement: CPU work, run right here on the connection's task.
        for (Runnable task; (task = engine.getDelegatedTask()) != null; ) {
            task.run();
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
                int n = decrypt(dst);
                if (n != 0) {
                    return n;
                }
                if (readMore() < 0) {
                    return endOfStream();
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
            int n = decrypt(buffer);
            if (n != 0) {
                return n;
            }
            NativeBuffer in = borrowNetIn();
            in.buffer().compact();
            int m;
            try {
                m = plain.readNow(in);
            } finally {
                in.buffer().flip();
            }
            if (m < 0) {
                return endOfStream();
            }
            if (m > 0) {
                needMore = false;
            }
            return m == 0 ? 0 : decrypt(buffer);
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
            if (plainIn != null || inboundDone || netIn != null && netIn.buffer().hasRemaining() && !needMore) {
                return;
            }
        } finally {
            afterRead();
        }
        plain.awaitReadable();
    }

    /**
     * Decrypts into {@code dst} from what is buffered: the bytes produced, 0 when a socket read is
     * needed first, -1 after the peer's close_notify. Holds readLock.
     */
    private int decrypt(ByteBuffer dst) throws IOException {
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
            }
            switch (result.getStatus()) {
                case BUFFER_UNDERFLOW -> needMore = true;
                case CLOSED -> {
                    inboundDone = true;
                    return plainIn != null ? copyPlainIn(dst) : -1;
                }
                default -> {
                    afterHandshakeMessage(result.getHandshakeStatus());
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
     * A record read after the handshake may carry a handshake message: a TLS 1.3 key update is
     * answered; anything else (TLS 1.2 renegotiation) fails the connection.
     */
    private void afterHandshakeMessage(HandshakeStatus status) throws IOException {
        if (status == HandshakeStatus.NOT_HANDSHAKING || status == HandshakeStatus.FINISHED) {
            return;
        }
        if (!"TLSv1.3".equals(engine.getSession().getProtocol())) {
            LOG.log(System.Logger.Level.DEBUG, () -> "TLS renegotiation refused from " + plain.remoteAddress());
            engine.closeOutbound();
            throw new SSLException("TLS renegotiation refused");
        }
        writeLock.lock();
        try {
            for (HandshakeStatus s = engine.getHandshakeStatus(); ; s = engine.getHandshakeStatus()) {
                if (s == HandshakeStatus.NEED_TASK) {
                    runDelegatedTasks();
                } else if (s == HandshakeStatus.NEED_WRAP) {
                    wrapHandshake();
                } else {
                    break;
                }
            }
            flushOutput();
        } finally {
            releaseOutput();
            writeLock.unlock();
        }
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

    /** Reads more ciphertext into {@code netIn}, parking until some arrives. Holds readLock. */
    private int readMore() throws IOException {
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

    /**
     * The peer closed TCP. Without its close_notify the stream may be truncated (RFC 8446 section
     * 6.1); the HTTP framing above tells a cut request from a complete one, so it is end of stream
     * either way, as in Go.
     */
    private int endOfStream() {
        inboundDone = true;
        return plainIn != null ? 0 : -1;
    }

    private void afterRead() {
        try {
            releaseInputIfEmpty();
            if (closing.get()) {
                releaseInput();
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
            while (hasRemaining(srcs, offset, length)) {
                ByteBuffer out = borrowNetOut();
                out.clear();
                // Gathers head and body into one record when they fit.
                SSLEngineResult result = engine.wrap(srcs, offset, length, out);
                if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                    throw new ConnClosedException();
                }
                if (result.getStatus() != SSLEngineResult.Status.OK) {
                    throw new SSLException("TLS wrap failed: " + result.getStatus());
                }
                flushOutput();
            }
        } finally {
            releaseOutput();
            writeLock.unlock();
        }
    }

    private static boolean hasRemaining(ByteBuffer[] srcs, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (srcs[i].hasRemaining()) {
                return true;
            }
        }
        return false;
    }

    /** Writes what {@code netOut} holds (write mode: [0, position)) and clears it. Holds writeLock. */
    private void flushOutput() throws IOException {
        if (netOut == null || netOut.buffer().position() == 0) {
            return;
        }
        ByteBuffer out = netOut.buffer();
        out.flip();
        try {
            plain.write(netOut);
        } finally {
            out.clear();
        }
    }

    // ---- closing

    /** Sends close_notify, then half-closes the plain connection. */
    @Override
    public void shutdownOutput() throws IOException {
        sendCloseNotify();
        plain.shutdownOutput();
    }

    /**
     * Sends close_notify (RFC 8446 section 6.1) once, if the handshake is done and no write is in
     * progress on another thread, waiting at most {@link #CLOSE_NOTIFY_NANOS} for socket room.
     */
    private void sendCloseNotify() {
        if (!handshaken || !writeLock.tryLock()) {
            return;
        }
        try {
            if (engine.isOutboundDone()) {
                return;
            }
            engine.closeOutbound();
            plain.setWriteDeadline(System.nanoTime() + CLOSE_NOTIFY_NANOS);
            ByteBuffer out = borrowNetOut();
            out.clear();
            engine.wrap(NOTHING, out);
            flushOutput();
        } catch (IOException e) {
            // The peer is gone or slow: closing without close_notify is all that is left.
        } finally {
            releaseOutput();
            writeLock.unlock();
        }
    }

    @Override
    public void close() {
        if (closing.compareAndSet(false, true)) {
            sendCloseNotify();
        }
        plain.close();
        // Any thread: buffers whose owner is in an operation are released by it on its way out.
        if (readLock.tryLock()) {
            try {
                releaseInput();
            } finally {
                readLock.unlock();
            }
        }
        if (writeLock.tryLock()) {
            try {
                releaseOutput();
            } finally {
                writeLock.unlock();
            }
        }
    }

    // ---- buffers

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

    private ByteBuffer borrowNetOut() {
        if (netOut == null) {
            netOut = pool.acquire();
        }
        return netOut.buffer();
    }

    private void releasePlainIn() {
        if (plainIn != null) {
            pool.release(plainIn);
            plainIn = null;
        }
    }

    private void releaseInputIfEmpty() {
        if (netIn != null && !netIn.buffer().hasRemaining()) {
            pool.release(netIn);
            netIn = null;
            needMore = false;
        }
        if (plainIn != null && !plainIn.buffer().hasRemaining()) {
            releasePlainIn();
        }
    }

    private void releaseInput() {
        if (netIn != null) {
            pool.release(netIn);
            netIn = null;
        }
        releasePlainIn();
    }

    private void releaseOutput() {
        if (netOut != null) {
            pool.release(netOut);
            netOut = null;
        }
    }

    // ---- the rest is the plain connection's

    @Override
    public void setReadDeadline(long deadlineNanos) {
        readDeadline = deadlineNanos;
        plain.setReadDeadline(handshaking ? earlier(deadlineNanos, handshakeDeadline) : deadlineNanos);
    }

    @Override
    public void setWriteDeadline(long deadlineNanos) {
        writeDeadline = deadlineNanos;
        plain.setWriteDeadline(handshaking ? earlier(deadlineNanos, handshakeDeadline) : deadlineNanos);
    }

    /** The earlier of two deadlines, 0 meaning none. */
    private static long earlier(long a, long b) {
        if (a == 0) {
            return b;
        }
        if (b == 0) {
            return a;
        }
        return a - b <= 0 ? a : b;
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
