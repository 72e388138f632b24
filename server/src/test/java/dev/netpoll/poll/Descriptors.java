package dev.netpoll.poll;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import dev.netpoll.sys.LibC;

/** libc calls only tests need: duplicating descriptors to inject faults, checking and reading them. */
final class Descriptors {

    static {
        Native.register(Descriptors.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    private Descriptors() {
    }

    static native int dup(int fd);

    static native int dup2(int fd, int target);

    static native int fcntl(int fd, int cmd, int arg);

    static native int getsockopt(int fd, int level, int optname, long optval, long optlenPtr);

    /**
     * Makes the number {@code fd} name a fresh eventfd until the result is closed, then gives it
     * back its own file: a fault for every system call on that number meanwhile (an eventfd is no
     * epoll: epoll_wait and epoll_ctl fail with EINVAL).
     */
    static AutoCloseable swapForEventfd(int fd) {
        int saved = dup(fd);
        int bogus = LibC.eventfd(0, LibC.EFD_CLOEXEC);
        assertThat(saved).isNotNegative();
        assertThat(bogus).isNotNegative();
        assertThat(dup2(bogus, fd)).isEqualTo(fd);
        return () -> {
            dup2(saved, fd);
            LibC.close(saved);
            LibC.close(bogus);
        };
    }

    /** True if {@code fd} names an open descriptor of this process. */
    static boolean isOpen(int fd) {
        return fcntl(fd, 1 /* F_GETFD */, 0) >= 0;
    }
}
