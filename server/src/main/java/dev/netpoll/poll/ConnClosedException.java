package dev.netpoll.poll;

import java.net.SocketException;

/** An operation on a connection or listener that this process closed (Go's ErrNetClosing). */
public final class ConnClosedException extends SocketException {

    public ConnClosedException() {
        super("use of closed network connection");
    }
}
