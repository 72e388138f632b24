package dev.netpoll.http2;

import dev.netpoll.http.ClientAbortException;
import dev.netpoll.poll.Conn;
import dev.netpoll.sys.NativeBuffer;
import dev.netpoll.sys.NativeBufferPool;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A connection's outgoing bytes, gathered into batches that one flusher task at a time writes.
 * Go's server writes frames into a buffered writer and flushes when its queue of frames runs dry;
 * this is the same for writers on many tasks. Writers append frames and go on; the end of a frame
 * that finds no flusher running starts one (never its middle: a batch holding half a frame would
 * cost a second write, and a close between the two would leave the half on the wire), and a started task runs after the tasks that are already
 * runnable, so on a busy carrier the frames of every stream that ran meanwhile leave in one write
 * (one syscall, one TLS record) instead of one write per frame.
 *
 * <p>The batch's states, all guarded by {@code lock}:
 *
 * <pre>
 *   empty   (pending == null, !flushing) --a frame appended--> filling (pending != null, flushing)
 *   filling --the flusher takes pending--> writing (pending == null until the next append)
 *   writing --the write ends--> the flusher takes whatever was appended meanwhile, or, finding
 *           nothing (or a batch not full while a frame is open), clears flushing; the frame's
 *           end starts it again
 *   any     --close, or a write that fails--> closed: appends and flushes throw, pending is given back
 *   empty   --shutdownOutput--> shut: our FIN is out; beginFrame refuses, flushes return at once
 * </pre>
 *
 * <p>Invariants: at most one flusher runs ({@code flushing}) and only the flusher writes to the
 * connection, so batches reach the socket in the order they were filled and a write that fails
 * part-way is the last one. A frame is appended whole under {@code frameLock}, so no other frame
 * lands inside it, even while its writer waits for room. At most two buffers per connection (one
 * being written, one filling), none when nothing is pending: an idle connection holds no buffer.
 */
final class BatchedOutput {

    private static final System.Logger LOG = System.getLogger(BatchedOutput.class.getName());

    private final Conn conn;
    private final long writeTimeoutNanos;
    private final NativeBufferPool buffers;
    private final Executor flushers;
    /** Run once when a write fails, after the output is closed. */
    private final Runnable onFailure;

    /** Held by one writer from the first byte of its frame (or run of frames) to the last. */
    private final ReentrantLock frameLock = new ReentrantLock();
    /** Brief holds only; writers wait on {@code progress} for room, flush waits for its bytes. */
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition progress = lock.newCondition();
    /** Guarded by lock: the batch being filled. */
    private NativeBuffer pending;
    /** Guarded by lock: a flusher task runs. */
    private boolean flushing;
    /**
     * Guarded by lock: a writer is between beginFrame and endFrame. The flusher does not take a
     * batch that is not full while a frame is open (it could hold that frame's first half);
     * endFrame starts it again.
     */
    private boolean frameOpen;
    /** Guarded by lock: bytes appended, and bytes written, since the connection began. */
    private long appended;
    private long written;
    /** Set once, under lock; read without it as a fast check. */
    private volatile boolean closed;
    /**
     * Set once, holding both frameLock and lock, when our FIN goes out: nothing more is written.
     * Read under either.
     */
    private boolean shut;
    /** Guarded by lock: why the flusher's write failed, for the exceptions of later writers; null otherwise. */
    private Throwable failure;
    /** The frame header being appended; owned by the holder of frameLock. */
    private final byte[] head = new byte[Frame.HEADER_LENGTH];

    BatchedOutput(Conn conn, long writeTimeoutNanos, NativeBufferPool buffers, Executor flushers, Runnable onFailure) {
        this.conn = conn;
        this.writeTimeoutNanos = writeTimeoutNanos;
        this.buffers = buffers;
        this.flushers = flushers;
        this.onFailure = onFailure;
    }

    /**
     * Starts a frame: no other writer appends until {@link #endFrame}. False, with nothing held,
     * once our FIN is out ({@link #shutdownOutput}): the frame is not to be appended at all.
     */
    boolean beginFrame() throws IOException {
        frameLock.lock();
        if (closed) {
            frameLock.unlock();
            throw closedException();
        }
        if (shut) { // written under frameLock, so stable while we hold it
            frameLock.unlock();
            return false;
        }
        lock.lock();
        frameOpen = true;
        lock.unlock();
        return true;
    }

    /** Ends the frame begun by {@link #beginFrame}: the batch holding it may go out now. */
    void endFrame() {
        lock.lock();
        try {
            frameOpen = false;
            startFlusher();
        } catch (IOException e) {
            // startFlusher closed the output and the connection: the next append or flush says so.
        } finally {
            lock.unlock();
            frameLock.unlock();
        }
    }

    /** Appends a frame header (section 4.1); the caller holds the frame. */
    void header(int length, int type, int flags, int streamId) throws IOException {
        Frames.header(head, 0, length, type, flags, streamId);
        append(head, 0, head.length);
    }

    /** Appends {@code b[off, off + len)}, waiting for the flusher to take a full batch; the caller holds the frame. */
    void append(byte[] b, int off, int len) throws IOException {
        long deadline = 0;
        lock.lock();
        try {
            while (len > 0) {
                if (closed) {
                    throw closedException();
                }
                if (pending == null) {
                    pending = acquire();
                }
                ByteBuffer batch = pending.buffer();
                if (!batch.hasRemaining()) {
                    startFlusher();
                    if (deadline == 0) {
                        deadline = System.nanoTime() + writeTimeoutNanos;
                    }
                    await(deadline);
                    continue;
                }
                int n = Math.min(batch.remaining(), len);
                batch.put(b, off, n);
                off += n;
                len -= n;
                appended += n;
                // The write timeout bounds a wait without progress (Go's WriteByteTimeout), not a
                // whole frame: one that spans many batches to a slow but reading client goes on.
                deadline = 0;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns once everything appended before the call is written, for what must reach the
     * client before the connection's output ends (a GOAWAY before FIN or close).
     */
    void flush() throws IOException {
        // Two batches may be ahead of ours, each with its own write deadline.
        long deadline = System.nanoTime() + 2 * writeTimeoutNanos;
        lock.lock();
        try {
            long target = appended;
            startFlusher();
            while (written < target) {
                if (closed) {
                    throw closedException();
                }
                await(deadline);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes everything appended so far, then ends our half of the connection (FIN). Frames
     * appended after that are dropped: a PING or SETTINGS the client sends while we linger needs
     * no answer, and writing one would fail (EPIPE) and close the connection early, cutting the
     * linger that keeps a reset from the client. Takes the frame lock, so no frame is cut in two.
     * Once only: a later call does nothing.
     */
    void shutdownOutput() throws IOException {
        frameLock.lock();
        try {
            if (shut) {
                return;
            }
            flush();
            lock.lock();
            try {
                shut = true; // before the FIN: no flusher starts a write after it
            } finally {
                lock.unlock();
            }
            conn.shutdownOutput();
        } finally {
            frameLock.unlock();
        }
    }

    /** No more writes; the pending batch is dropped. Any thread, any number of times. */
    void close() {
        lock.lock();
        try {
            closeLocked();
        } finally {
            lock.unlock();
        }
    }

    /** Under lock. */
    private void closeLocked() {
        closed = true;
        releasePending();
        progress.signalAll();
    }

    boolean isClosed() {
        return closed;
    }

    /** Under lock. */
    private void startFlusher() throws IOException {
        if (flushing || pending == null || pending.buffer().position() == 0) {
            return;
        }
        flushing = true;
        try {
            flushers.execute(this::flushLoop);
        } catch (Throwable e) {
            // Nothing would ever write what is pending: the connection cannot go on.
            flushing = false;
            closeLocked();
            conn.close();
            throw new IOException("cannot start the HTTP/2 flusher task", e);
        }
    }

    /**
     * Under lock. A buffer that cannot be had (direct memory exhausted) may leave a frame half
     * appended: the output closes, so nothing follows that half.
     */
    private NativeBuffer acquire() throws IOException {
        try {
            return buffers.acquire();
        } catch (Throwable e) {
            closeLocked();
            conn.close();
            throw new IOException("no buffer for HTTP/2 frames", e);
        }
    }

    /** Under lock. */
    private void releasePending() {
        if (pending != null) {
            buffers.release(pending);
            pending = null;
        }
    }

    /**
     * Under lock. Ignores interrupts, as a socket write does (PollDesc's waits): an interrupt
     * flag a handler left set must not cut a frame in half and with it the whole connection.
     * The wait ends at the deadline, at progress, or at close; the flag is set again after it.
     */
    private void await(long deadline) throws IOException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new IOException("HTTP/2 output: no progress within the write timeout");
        }
        boolean interrupted = Thread.interrupted();
        try {
            progress.awaitNanos(left);
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The flusher task: writes batches until none is pending. */
    private void flushLoop() {
        for (;;) {
            NativeBuffer batch;
            lock.lock();
            try {
                if (closed || pending == null || frameOpen && pending.buffer().hasRemaining()) {
                    flushing = false;
                    return;
                }
                batch = pending;
                pending = null;
                progress.signalAll(); // room for writers waiting on a full batch
            } finally {
                lock.unlock();
            }
            ByteBuffer bytes = batch.buffer().flip();
            int n = bytes.remaining();
            try {
                conn.setWriteDeadline(System.nanoTime() + writeTimeoutNanos);
                conn.write(batch);
            } catch (Throwable e) {
                buffers.release(batch);
                // The cause first, so that whoever closes the output once the socket is closed
                // (the reader task, seeing it closed) reports it; then the socket, so that a
                // writer told of the failure finds it closed; then the output.
                lock.lock();
                try {
                    failure = e;
                } finally {
                    lock.unlock();
                }
                conn.close();
                lock.lock();
                try {
                    // One step: no writer may see "no flusher" before it sees "closed", or a
                    // second flusher would write after this part-written batch.
                    flushing = false;
                    closeLocked();
                } finally {
                    lock.unlock();
                }
                onFailure.run();
                if (e instanceof Error error) {
                    throw error;
                }
                if (!(e instanceof IOException)) {
                    // Not the client going away: a defect of ours, which must not pass for one.
                    LOG.log(System.Logger.Level.WARNING, "HTTP/2 write to " + conn.remoteAddress() + " failed", e);
                }
                return;
            }
            buffers.release(batch);
            lock.lock();
            try {
                written += n;
                progress.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * What a writer gets once the output is closed: the client is gone (or was cut off), so the
     * servlet layer treats it as a client abort, the flusher's own I/O failure as the cause. A
     * failure that is not I/O (a defect of ours) stays a plain error.
     */
    private IOException closedException() {
        Throwable cause;
        lock.lock();
        try {
            cause = failure;
        } finally {
            lock.unlock();
        }
        return cause == null || cause instanceof IOException
                ? new ClientAbortException("HTTP/2 connection closed", cause)
                : new IOException("HTTP/2 connection closed after a failed write", cause);
    }
}
