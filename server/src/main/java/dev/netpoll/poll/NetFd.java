package dev.netpoll.poll;

import dev.netpoll.sys.Errno;
import dev.netpoll.sys.LibC;
import dev.netpoll.sys.NativeBuffer;
import dev.netpoll.sys.NativeBufferPool;
import dev.netpoll.sys.SockAddr;
import dev.netpoll.sys.SyscallException;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A non-blocking socket descriptor with blocking-style operations (Go's {@code netFD}).
 *
 * <p>Each operation tries its system call first and parks the task on the {@link PollDesc} only
 * when the kernel says EAGAIN. On a request/response connection this makes one {@code read} and
 * one {@code write} per exchange, with one exception: after a short read the socket is known to be
 * drained (TCP returns less than asked only when its queue is empty), and since the descriptor is
 * registered edge-triggered, any byte that arrives later produces a new edge. So the next read
 * waits for that edge instead of making a {@code read} that would only return EAGAIN. End of
 * stream and errors are not data: their edge may have merged with the data's, so once the poller
 * saw a hang-up the reader always makes the call.
 *
 * <p>The descriptor is registered with its poller before its first wait, not when it opens. Until a
 * task waits nobody needs an edge: every operation makes its system call first, and an
 * edge-triggered {@code EPOLL_CTL_ADD} reports the readiness the socket already has (the kernel
 * queues a descriptor that is ready when added), so bytes or buffer space that came before the
 * registration still wake the first waiter. A connection served without ever waiting (an
 * HTTP/1.0 client whose request arrived with its connect, answered and closed) thus costs no
 * {@code epoll_ctl} at all.
 *
 * <p>Fields below {@code pd} are owned by the task currently reading ({@code readDrained}) or
 * writing ({@code iov}); see {@link Conn} for the one-reader, one-writer rule.
 *
 * <p>A heap buffer goes through a native scratch buffer borrowed from {@link #SCRATCH} for the
 * one call and given back before it returns: a connection that once read or wrote from the heap
 * (a WebSocket frame from Tyrus) must not keep 16 KiB of native memory for the rest of its idle life.
 */
public final class NetFd implements Conn {

    private static final int IOV_MAX_BATCH = 16;
    private static final int IOVEC_SIZE = 16;
    private static final int SCRATCH_SIZE = 16 * 1024;
    /** Shared by every descriptor; a few per core cover the calls in flight at once. */
    private static final NativeBufferPool SCRATCH = new NativeBufferPool(SCRATCH_SIZE,
            Math.max(16, 4 * Runtime.getRuntime().availableProcessors()), "socket scratch buffer");

    private final int fd;
    private final Poller poller;
    private final PollDesc pd;
    /** The peer, packed ({@link SockAddr#pack}): most connections are never asked for it. */
    private final byte[] remote;
    private volatile InetSocketAddress local;
    /**
     * 0 until a task about to wait claims the registration (CAS to 1, by whichever of the reader
     * and the writer comes first), then 1 for good, unless {@code EPOLL_CTL_ADD} fails, which
     * closes the descriptor. A task that finds it claimed waits at once, even while the claimer's
     * add is still under way: the add reports the readiness the socket has when it lands, so
     * nothing that happens after the waiter's failed call goes unreported. Read by the close
     * action, which runs after every operation (and so every registration) has ended.
     */
    private volatile int registered;

    // Reader-owned. True when the last read drained the socket: wait for an edge before reading.
    // Starts false: a client usually sends its request right behind its connect, so the first
    // read is tried before any wait, as Go's first Read is; that saves a park and a trip through
    // the poller per connection.
    private boolean readDrained;
    // Writer-owned.
    private ByteBuffer iov;
    private long iovAddress;

    private static final VarHandle REGISTERED;

    static {
        try {
            REGISTERED = MethodHandles.lookup().findVarHandle(NetFd.class, "registered", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private NetFd(int fd, EpollTransport transport, byte[] remote) {
        this.fd = fd;
        this.remote = remote;
        this.poller = transport.pollerFor(fd);
        this.pd = new PollDesc(fd, transport.nextSeq(), transport.stats(), this::destroy);
    }

    /** The close action: runs once, when the descriptor is closing and no operation uses it. */
    private void destroy() {
        if (registered != 0) {
            poller.deregister(pd);
        }
        LibC.close(fd);
    }

    /**
     * Wraps a fresh non-blocking socket; it is registered with a poller before its first wait.
     * Owns {@code fd} from the call on: closes it if the wrapper cannot be built (out of memory),
     * since nobody else holds the number to close it.
     */
    static NetFd open(int fd, EpollTransport transport, byte[] remote) {
        try {
            return new NetFd(fd, transport, remote);
        } catch (Throwable e) {
            LibC.close(fd);
            throw e;
        }
    }

    /**
     * Wraps a listening socket and registers it now: a listener that could not be registered
     * must fail where it is opened, not close itself at its first wait while the server runs on.
     * Closes {@code fd} if registration fails.
     */
    static NetFd openRegistered(int fd, EpollTransport transport, byte[] local) throws IOException {
        var netFd = open(fd, transport, local);
        netFd.pd.acquire();
        try {
            netFd.registerBeforeWait();
        } finally {
            netFd.pd.release();
        }
        return netFd;
    }

    /**
     * Registers the descriptor before the caller's first wait (see the class comment). The
     * caller holds {@code pd}. If the kernel refuses (no memory, {@code max_user_watches}), the
     * descriptor closes: no task could ever be woken on it.
     */
    private void registerBeforeWait() throws SyscallException {
        if (registered != 0 || !REGISTERED.compareAndSet(this, 0, 1)) {
            return;
        }
        try {
            poller.register(pd);
        } catch (Throwable e) {
            // Not registered after all (the poller undid its table entry): the close action must
            // not deregister it.
            registered = 0;
            pd.close();
            throw e;
        }
    }

    /** Parks until the descriptor is readable, or has a connection to accept; the caller holds {@code pd}. */
    void waitRead(WaitReason reason) throws IOException {
        registerBeforeWait();
        pd.waitRead(reason);
    }

    private void waitWrite() throws IOException {
        registerBeforeWait();
        pd.waitWrite();
    }

    /** The descriptor number, for diagnostics. */
    public int fd() {
        return fd;
    }

    PollDesc pollDesc() {
        return pd;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (!dst.hasRemaining()) {
            return 0;
        }
        if (!dst.isDirect()) {
            return readViaScratch(dst);
        }
        return read(dst, LibC.address(dst));
    }

    @Override
    public int read(NativeBuffer dst) throws IOException {
        ByteBuffer buffer = dst.buffer();
        return buffer.hasRemaining() ? read(buffer, dst.address()) : 0;
    }

    private int read(ByteBuffer dst, long base) throws IOException {
        pd.acquire();
        try {
            for (;;) {
                if (readDrained && !pd.hungUp()) {
                    waitRead(WaitReason.READ);
                }
                readDrained = false;
                int n = readOnce(dst, base);
                if (n != 0) {
                    return n;
                }
            }
        } finally {
            pd.release();
        }
    }

    /**
     * One {@code read(2)} into {@code dst} from its position: the bytes read, -1 at end of stream,
     * or 0 when the socket has nothing now (EAGAIN), which marks it drained. Retries EINTR. The
     * caller holds {@code pd}.
     */
    private int readOnce(ByteBuffer dst, long base) throws SyscallException {
        int position = dst.position();
        int length = dst.remaining();
        for (;;) {
            long n = LibC.read(fd, base + position, length);
            if (n > 0) {
                dst.position(position + (int) n);
                readDrained = n < length;
                return (int) n;
            }
            if (n == 0) {
                return -1;
            }
            int errno = LibC.errno();
            if (errno == Errno.EAGAIN) {
                readDrained = true;
                return 0;
            }
            if (errno != Errno.EINTR) {
                throw new SyscallException("read", errno);
            }
        }
    }

    @Override
    public int readNow(NativeBuffer dst) throws IOException {
        ByteBuffer buffer = dst.buffer();
        if (!buffer.hasRemaining()) {
            return 0;
        }
        pd.acquire();
        try {
            return readOnce(buffer, dst.address());
        } finally {
            pd.release();
        }
    }

    private int readViaScratch(ByteBuffer dst) throws IOException {
        NativeBuffer scratch = SCRATCH.acquire();
        try {
            ByteBuffer bytes = scratch.buffer();
            bytes.limit(Math.min(SCRATCH_SIZE, dst.remaining()));
            int n = read(bytes, scratch.address());
            if (n > 0) {
                dst.put(bytes.flip());
            }
            return n;
        } finally {
            SCRATCH.release(scratch);
        }
    }

    @Override
    public void awaitReadable() throws IOException {
        pd.acquire();
        try {
            if (readDrained && !pd.hungUp()) {
                waitRead(WaitReason.READ);
            }
            readDrained = false;
        } finally {
            pd.release();
        }
    }

    @Override
    public void write(ByteBuffer src) throws IOException {
        if (!src.isDirect()) {
            writeViaScratch(src);
            return;
        }
        write(src, LibC.address(src));
    }

    @Override
    public void write(NativeBuffer src) throws IOException {
        write(src.buffer(), src.address());
    }

    private void write(ByteBuffer src, long base) throws IOException {
        pd.acquire();
        try {
            while (src.hasRemaining()) {
                int position = src.position();
                long n = LibC.write(fd, base + position, src.remaining());
                if (n >= 0) {
                    src.position(position + (int) n);
                    continue;
                }
                int errno = LibC.errno();
                if (errno == Errno.EAGAIN) {
                    waitWrite();
                } else if (errno != Errno.EINTR) {
                    throw new SyscallException("write", errno);
                }
            }
        } finally {
            pd.release();
        }
    }

    private void writeViaScratch(ByteBuffer src) throws IOException {
        NativeBuffer scratch = SCRATCH.acquire();
        try {
            ByteBuffer bytes = scratch.buffer();
            while (src.hasRemaining()) {
                int chunk = Math.min(SCRATCH_SIZE, src.remaining());
                bytes.clear().put(0, src, src.position(), chunk).limit(chunk);
                write(bytes, scratch.address());
                src.position(src.position() + chunk);
            }
        } finally {
            SCRATCH.release(scratch);
        }
    }

    /** Scratch buffers lent now: each is held only inside one read or write of a heap buffer. */
    public static int scratchLent() {
        return SCRATCH.lent();
    }

    @Override
    public void write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        for (int i = offset; i < offset + length; i++) {
            if (!srcs[i].isDirect()) {
                for (int j = offset; j < offset + length; j++) {
                    write(srcs[j]);
                }
                return;
            }
        }
        if (iov == null) {
            iov = ByteBuffer.allocateDirect(IOV_MAX_BATCH * IOVEC_SIZE).order(ByteOrder.nativeOrder());
            iovAddress = LibC.address(iov);
        }
        long[] bases = new long[length];
        for (int i = 0; i < length; i++) {
            bases[i] = LibC.address(srcs[offset + i]);
        }
        pd.acquire();
        try {
            int first = 0;
            while (first < length) {
                if (!srcs[offset + first].hasRemaining()) {
                    first++;
                    continue;
                }
                int count = 0;
                for (int i = first; i < length && count < IOV_MAX_BATCH; i++) {
                    ByteBuffer b = srcs[offset + i];
                    if (b.hasRemaining()) {
                        iov.putLong(count * IOVEC_SIZE, bases[i] + b.position());
                        iov.putLong(count * IOVEC_SIZE + 8, b.remaining());
                        count++;
                    }
                }
                long n = LibC.writev(fd, iovAddress, count);
                if (n < 0) {
                    int errno = LibC.errno();
                    if (errno == Errno.EAGAIN) {
                        waitWrite();
                    } else if (errno != Errno.EINTR) {
                        throw new SyscallException("writev", errno);
                    }
                    continue;
                }
                for (int i = first; i < length && n > 0; i++) {
                    ByteBuffer b = srcs[offset + i];
                    int step = (int) Math.min(n, b.remaining());
                    b.position(b.position() + step);
                    n -= step;
                }
            }
        } finally {
            pd.release();
        }
    }

    @Override
    public void setReadDeadline(long deadlineNanos) {
        pd.setReadDeadline(deadlineNanos);
    }

    @Override
    public void setWriteDeadline(long deadlineNanos) {
        pd.setWriteDeadline(deadlineNanos);
    }

    @Override
    public void shutdownOutput() throws IOException {
        pd.acquire();
        try {
            if (LibC.shutdown(fd, LibC.SHUT_WR) < 0) {
                throw new SyscallException("shutdown", LibC.errno());
            }
        } finally {
            pd.release();
        }
    }

    @Override
    public void close() {
        pd.close();
    }

    @Override
    public boolean isOpen() {
        return !pd.isClosing();
    }

    @Override
    public WaitReason parkedOn() {
        return pd.parkedOn();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return SockAddr.unpack(remote);
    }

    @Override
    public InetSocketAddress localAddress() {
        InetSocketAddress address = local;
        if (address == null) {
            try {
                pd.acquire();
            } catch (ConnClosedException e) {
                return null;
            }
            try {
                var sa = new SockAddr();
                if (LibC.getsockname(fd, sa.address(), sa.lengthAddressForFill()) < 0) {
                    return null;
                }
                local = address = sa.decode();
            } finally {
                pd.release();
            }
        }
        return address;
    }

    @Override
    public String toString() {
        return "NetFd[fd=" + fd + ", remote=" + remote + "]";
    }
}
