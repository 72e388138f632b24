package dev.netpoll.poll;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * A listening socket. {@link #accept()} blocks the calling task until a connection arrives;
 * {@link #close()} from any thread wakes it with {@link ConnClosedException}.
 */
public interface Listener extends AutoCloseable {

    Conn accept() throws IOException;

    /** The bound address; for port 0, the port the kernel chose. */
    InetSocketAddress localAddress();

    @Override
    void close();

    /**
     * Stops accepting without losing the connections the kernel has already completed: from now
     * on {@link #accept()} returns queued connections without waiting, and when none is left it
     * closes the listener and throws {@link ConnClosedException}. Closing a listening socket
     * outright resets every connection in its backlog, requests already sent on them included.
     * Any thread. The default closes at once, for a transport that cannot tell the queue is empty.
     */
    default void stopAccepting() {
        close();
    }

    boolean isOpen();
}
