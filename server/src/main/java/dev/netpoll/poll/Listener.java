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

    boolean isOpen();
}
