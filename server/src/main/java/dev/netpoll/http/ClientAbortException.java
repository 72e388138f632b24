package dev.netpoll.http;

import dev.netpoll.poll.ConnClosedException;
import dev.netpoll.sys.SyscallException;
import java.io.IOException;

/**
 * The client went away in the middle of an exchange: it reset its HTTP/2 stream, or reset or
 * closed its connection. A read or write that fails this way is not the application's failure and
 * not the server's: there is nobody left to answer, so it gets no error page and is not logged as
 * an error (Tomcat's ClientAbortException plays the same part).
 */
public class ClientAbortException extends IOException {

    public ClientAbortException(String message) {
        super(message);
    }

    public ClientAbortException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Whether {@code failure}, or any of its causes, says the client went away: this exception,
     * a connection closed under us, or a reset reported by the kernel (ECONNRESET, EPIPE).
     */
    public static boolean causedBy(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ClientAbortException || t instanceof ConnClosedException
                    || t instanceof SyscallException syscall && syscall.isPeerReset()) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
