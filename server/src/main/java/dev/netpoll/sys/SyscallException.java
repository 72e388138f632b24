package dev.netpoll.sys;

import java.io.IOException;

/**
 * A failed libc call: names the call and its errno, as Go's {@code os.SyscallError} does, so that
 * "accept4: EMFILE (Too many open files)" reaches the log instead of a bare -1.
 */
public class SyscallException extends IOException {

    private final String call;
    private final int errno;

    public SyscallException(String call, int errno) {
        this(call, errno, null);
    }

    public SyscallException(String call, int errno, String detail) {
        super(call + ": " + Errno.name(errno) + " (" + Errno.describe(errno) + ")"
                + (detail == null ? "" : " " + detail));
        this.call = call;
        this.errno = errno;
    }

    /** The libc function that failed, such as {@code "bind"}. */
    public String call() {
        return call;
    }

    /** The errno it failed with. */
    public int errno() {
        return errno;
    }

    /** True when the peer reset or aborted the connection (ECONNRESET, EPIPE, ECONNABORTED). */
    public boolean isPeerReset() {
        return errno == Errno.ECONNRESET || errno == Errno.EPIPE || errno == Errno.ECONNABORTED;
    }
}
