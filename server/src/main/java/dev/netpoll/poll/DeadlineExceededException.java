package dev.netpoll.poll;

import java.net.SocketTimeoutException;

/** A read or write that was still waiting when its deadline passed (Go's ErrDeadlineExceeded). */
public final class DeadlineExceededException extends SocketTimeoutException {

    public DeadlineExceededException(String operation) {
        super(operation + " deadline exceeded");
    }
}
