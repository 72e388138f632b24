package dev.netpoll.poll;

import dev.netpoll.runtime.AcceptLoop;
import dev.netpoll.runtime.ConnHandler;
import dev.netpoll.runtime.Tasks;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/** A transport, a listener on a loopback port and an accept loop serving {@code handler}. */
final class EchoServer implements AutoCloseable {

    final Transport transport;
    final Listener listener;
    final Tasks tasks = new Tasks("test-conn-");
    final AcceptLoop loop;

    EchoServer(String transportName, ConnHandler handler) throws Exception {
        this(transportName, 1, handler);
    }

    EchoServer(String transportName, int pollers, ConnHandler handler) throws Exception {
        transport = Transport.open(transportName, pollers);
        listener = transport.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
        loop = new AcceptLoop(listener, tasks, 100_000, handler);
        loop.start();
    }

    int port() {
        return listener.localAddress().getPort();
    }

    /** Echoes until end of stream, then half-closes; takes a buffer only once readable. */
    static ConnHandler echo(int bufferSize) {
        return conn -> {
            for (;;) {
                conn.awaitReadable();
                ByteBuffer buffer = ByteBuffer.allocateDirect(bufferSize);
                int n = conn.read(buffer);
                if (n < 0) {
                    conn.shutdownOutput();
                    return;
                }
                conn.write(buffer.flip());
            }
        };
    }

    @Override
    public void close() throws Exception {
        listener.close();
        transport.close();
    }
}
