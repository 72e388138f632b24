package dev.netpoll.poll;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

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

    /** True if {@code fd} names an open descriptor of this process. */
    static boolean isOpen(int fd) {
        return fcntl(fd, 1 /* F_GETFD */, 0) >= 0;
    }
}
