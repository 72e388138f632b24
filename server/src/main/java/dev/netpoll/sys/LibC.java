package dev.netpoll.sys;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;

/**
 * The libc calls Netpoll makes, bound with JNA direct mapping ({@link Native#register}).
 *
 * <p>Every pointer argument is a {@code long} address: JNA passes a primitive straight through,
 * while a {@code Pointer} or {@code byte[]} argument costs an object conversion or a copy on each
 * call. Callers keep the memory alive (a direct {@link ByteBuffer} held in a field) for the
 * duration of the call. Only 64-bit Linux is supported, where {@code size_t}, {@code ssize_t} and
 * pointers are all 64 bits.
 *
 * <p>The calls return libc's raw result; on {@code -1} the caller reads {@link #errno()} on the
 * same thread before doing anything that could park. A virtual thread stays mounted on its carrier
 * from the native call to that read because nothing in between can park it.
 *
 * <p>{@code epoll_wait} with a timeout blocks its OS thread: it is only called from the poller's
 * platform thread, never from a virtual thread (which would pin its carrier).
 */
public final class LibC {

    /** True when libc could be bound on this host; false leaves every native method unusable. */
    public static final boolean AVAILABLE;

    /** Why libc could not be bound, or null. */
    public static final Throwable UNAVAILABLE_CAUSE;

    static {
        Throwable cause = null;
        boolean ok = false;
        if (Platform.isLinux() && Platform.is64Bit()) {
            try {
                Native.register(LibC.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
                ok = true;
            } catch (Throwable e) {
                cause = e;
            }
        } else {
            cause = new UnsupportedOperationException(
                    "the epoll transport needs 64-bit Linux, this is " + System.getProperty("os.name")
                            + " " + System.getProperty("os.arch"));
        }
        AVAILABLE = ok;
        UNAVAILABLE_CAUSE = cause;
    }

    private LibC() {
    }

    // <sys/socket.h>, <netinet/in.h>, <fcntl.h>, <sys/epoll.h>, <sys/eventfd.h> values, identical
    // on x86_64 and aarch64 Linux.
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int SOCK_STREAM = 1;
    public static final int SOCK_NONBLOCK = 0x800;
    public static final int SOCK_CLOEXEC = 0x80000;
    public static final int SOL_SOCKET = 1;
    public static final int SO_REUSEADDR = 2;
    public static final int SO_KEEPALIVE = 9;
    public static final int IPPROTO_TCP = 6;
    public static final int IPPROTO_IPV6 = 41;
    public static final int TCP_NODELAY = 1;
    public static final int TCP_DEFER_ACCEPT = 9;
    public static final int IPV6_V6ONLY = 26;
    public static final int SHUT_RD = 0;
    public static final int SHUT_WR = 1;
    public static final int SHUT_RDWR = 2;
    public static final int F_GETFL = 3;
    public static final int F_SETFL = 4;
    public static final int O_NONBLOCK = 0x800;
    public static final int EPOLL_CLOEXEC = 0x80000;
    public static final int EPOLL_CTL_ADD = 1;
    public static final int EPOLL_CTL_DEL = 2;
    public static final int EPOLL_CTL_MOD = 3;
    public static final int EPOLLIN = 0x001;
    public static final int EPOLLOUT = 0x004;
    public static final int EPOLLERR = 0x008;
    public static final int EPOLLHUP = 0x010;
    public static final int EPOLLRDHUP = 0x2000;
    public static final int EPOLLONESHOT = 1 << 30;
    public static final int EPOLLET = 1 << 31;
    public static final int EFD_CLOEXEC = 0x80000;
    public static final int EFD_NONBLOCK = 0x800;

    public static native int socket(int domain, int type, int protocol);

    public static native int bind(int fd, long addr, int addrlen);

    public static native int listen(int fd, int backlog);

    public static native int accept4(int fd, long addr, long addrlenPtr, int flags);

    public static native long read(int fd, long buf, long count);

    public static native long write(int fd, long buf, long count);

    public static native long writev(int fd, long iov, int iovcnt);

    public static native int close(int fd);

    public static native int shutdown(int fd, int how);

    public static native int setsockopt(int fd, int level, int optname, long optval, int optlen);

    public static native int getsockname(int fd, long addr, long addrlenPtr);

    public static native int getpeername(int fd, long addr, long addrlenPtr);

    public static native int fcntl(int fd, int cmd, int arg);

    public static native int epoll_create1(int flags);

    public static native int epoll_ctl(int epfd, int op, int fd, long event);

    public static native int epoll_wait(int epfd, long events, int maxevents, int timeout);

    public static native int eventfd(int initval, int flags);

    static native Pointer strerror(int errnum);

    /** The calling thread's errno as libc left it after the last native call on this thread. */
    public static int errno() {
        return Native.getLastError();
    }

    /** The address of a direct buffer's first byte; callers keep {@code buffer} reachable. */
    public static long address(ByteBuffer buffer) {
        if (!buffer.isDirect()) {
            throw new IllegalArgumentException("native I/O needs a direct ByteBuffer");
        }
        return Pointer.nativeValue(Native.getDirectBufferPointer(buffer));
    }
}
