package dev.netpoll.poll;

import dev.netpoll.sys.Errno;
import dev.netpoll.sys.LibC;
import dev.netpoll.sys.SockAddr;
import dev.netpoll.sys.SyscallException;
import java.io.IOException;
import java.lang.ref.Reference;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;

/**
 * A listening socket on the epoll transport. Accepted sockets are non-blocking and close-on-exec
 * from birth ({@code accept4}) and have {@code TCP_NODELAY} (as Go sets by default: responses are
 * written whole, so Nagle only adds latency). Linux copies that option from the listening socket
 * into every socket accepted from it, so it is set once here rather than by a {@code setsockopt}
 * per connection; {@code AcceptedDescriptorTest} holds the kernel to that. They are registered with a
 * poller before their first wait ({@link NetFd}).
 *
 * <p>With a deferral ({@code TCP_DEFER_ACCEPT}) the kernel keeps a connection until its first
 * bytes arrive: the first read then finds the request, the connection is served and, if it is a
 * one-request connection, closed without ever waiting, so without registering. Without it, the
 * accept loop, being quick, takes most connections before their request has crossed, and each
 * then costs a failed read, a registration, a park and a wake-up through the poller.
 *
 * <p>One task accepts at a time: the accept loop owns {@code peer}.
 */
final class EpollListener implements Listener {

    /** How long stopAccepting may keep taking queued connections before it closes anyway. */
    private static final long MAX_DRAIN_NANOS = java.time.Duration.ofSeconds(1).toNanos();

    // Set once by stopAccepting (any thread), read by the accepting task; drainingSince is
    // written before draining, so a task that sees draining sees it too.
    private volatile long drainingSince;
    private volatile boolean draining;
    private final EpollTransport transport;
    private final NetFd socket;
    private final InetSocketAddress bound;
    private final SockAddr peer = new SockAddr();

    private EpollListener(EpollTransport transport, NetFd socket, InetSocketAddress bound) {
        this.transport = transport;
        this.socket = socket;
        this.bound = bound;
    }

    static EpollListener bind(EpollTransport transport, InetSocketAddress address, int backlog,
            Duration deferAccept) throws IOException {
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("cannot listen on unresolved host " + address.getHostString());
        }
        int fd = LibC.socket(SockAddr.family(address),
                LibC.SOCK_STREAM | LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw new SyscallException("socket", LibC.errno());
        }
        try {
            setIntOption(fd, LibC.SOL_SOCKET, LibC.SO_REUSEADDR, 1, "SO_REUSEADDR");
            // Inherited by accepted sockets (see the class comment).
            setIntOption(fd, LibC.IPPROTO_TCP, LibC.TCP_NODELAY, 1, "TCP_NODELAY");
            if (deferAccept.isPositive()) {
                // Whole seconds; the kernel turns them into SYN-ACK retransmissions to wait out.
                long seconds = deferAccept.plusNanos(999_999_999).toSeconds();
                setIntOption(fd, LibC.IPPROTO_TCP, LibC.TCP_DEFER_ACCEPT, (int) Math.min(seconds, Integer.MAX_VALUE),
                        "TCP_DEFER_ACCEPT");
            }
            var sa = new SockAddr();
            int length = sa.encode(address);
            int bound = LibC.bind(fd, sa.address(), length);
            int errno = LibC.errno();
            // bind reads the struct during the call: its memory must outlive it (sa is not used
            // after taking its address, so the collector could otherwise free it meanwhile).
            Reference.reachabilityFence(sa);
            if (bound < 0) {
                var cause = new SyscallException("bind", errno, "on " + address);
                var failure = new BindException(cause.getMessage());
                failure.initCause(cause);
                throw failure;
            }
            if (LibC.listen(fd, backlog) < 0) {
                throw new SyscallException("listen", LibC.errno(), "on " + address);
            }
        } catch (IOException | RuntimeException e) {
            LibC.close(fd);
            throw e;
        }
        var sa = new SockAddr();
        if (LibC.getsockname(fd, sa.address(), sa.lengthAddressForFill()) < 0) {
            var failure = new SyscallException("getsockname", LibC.errno());
            LibC.close(fd);
            throw failure;
        }
        byte[] packed = sa.pack();
        // openRegistered owns fd from here: it closes it itself if registration fails.
        return new EpollListener(transport, NetFd.openRegistered(fd, transport, packed), SockAddr.unpack(packed));
    }

    /**
     * The value 1 for boolean options, shared: the kernel only reads it, and a direct buffer per
     * call would cost an allocation and a Cleaner. Never written after class initialisation.
     */
    private static final ByteBuffer ONE = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder()).putInt(0, 1);

    static void setIntOption(int fd, int level, int option, int value, String name) throws SyscallException {
        var buffer = value == 1 ? ONE : ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder()).putInt(0, value);
        int result = LibC.setsockopt(fd, level, option, LibC.address(buffer), 4);
        int errno = LibC.errno();
        // The kernel reads the value during the call; keep the buffer (and its memory) alive.
        Reference.reachabilityFence(buffer);
        if (result < 0) {
            throw new SyscallException("setsockopt", errno, name);
        }
    }

    @Override
    public Conn accept() throws IOException {
        PollDesc pd = socket.pollDesc();
        pd.acquire();
        try {
            for (;;) {
                if (draining && System.nanoTime() - drainingSince > MAX_DRAIN_NANOS) {
                    // Clients that keep connecting faster than we accept would keep an open
                    // listener draining forever: after this, what is still queued is reset.
                    close();
                    throw new ConnClosedException();
                }
                int fd = LibC.accept4(socket.fd(), peer.address(), peer.lengthAddressForFill(),
                        LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC);
                if (fd >= 0) {
                    return adopt(transport, fd, peer);
                }
                int errno = LibC.errno();
                switch (errno) {
                    case Errno.EAGAIN -> {
                        if (draining) {
                            close();
                            throw new ConnClosedException();
                        }
                        try {
                            socket.waitRead(WaitReason.ACCEPT);
                        } catch (DeadlineExceededException e) {
                            // stopAccepting moved the deadline to now: drain, then close.
                            if (!draining) {
                                throw e;
                            }
                        }
                    }
                    // The peer gave up between the handshake and accept: try the next one.
                    case Errno.EINTR, Errno.ECONNABORTED -> {
                    }
                    default -> throw new SyscallException("accept4", errno);
                }
            }
        } finally {
            pd.release();
        }
    }

    /**
     * Wraps a freshly accepted descriptor. Owns {@code fd}: closes it if that fails, so that an
     * accept loop retrying through such failures leaks nothing.
     */
    static NetFd adopt(EpollTransport transport, int fd, SockAddr peer) {
        byte[] remote;
        try {
            remote = peer.pack();
        } catch (RuntimeException e) {
            LibC.close(fd);
            throw e;
        }
        return NetFd.open(fd, transport, remote);
    }

    @Override
    public InetSocketAddress localAddress() {
        return bound;
    }

    @Override
    public void close() {
        socket.close();
    }

    @Override
    public void stopAccepting() {
        // Flag first, then wake a parked accept with a deadline in the past: whichever the
        // accepting task sees, it drains the queue and closes.
        if (!draining) {
            drainingSince = System.nanoTime();
        }
        draining = true;
        socket.setReadDeadline(System.nanoTime());
    }

    @Override
    public boolean isOpen() {
        return socket.isOpen();
    }

    @Override
    public String toString() {
        return "EpollListener[" + bound + "]";
    }
}
