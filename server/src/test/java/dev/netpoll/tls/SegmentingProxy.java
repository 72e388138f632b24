package dev.netpoll.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A one-connection TCP relay between a test's TLS client and the server that decides how the
 * client's bytes reach the server: as they come, or each chunk cut in two with a pause between
 * the halves, so a TLS record arrives in two reads. The test can also write raw bytes to the
 * server (a forged record header) past the client's TLS stack.
 */
final class SegmentingProxy implements AutoCloseable {

    private final ServerSocket front;
    private final InetSocketAddress server;
    private volatile boolean split;
    private volatile Socket upstream;

    SegmentingProxy(InetSocketAddress server) throws IOException {
        this.server = server;
        this.front = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().start(this::relayOne);
    }

    int port() {
        return front.getLocalPort();
    }

    /** From now on every chunk the client sends reaches the server in two writes, 200 ms apart. */
    void splitRecords() {
        split = true;
    }

    /** Writes bytes to the server directly, as the client's TLS stack never would. */
    void inject(byte[] bytes) throws IOException {
        OutputStream out = upstream.getOutputStream();
        out.write(bytes);
        out.flush();
    }

    private void relayOne() {
        try (Socket client = front.accept(); Socket toServer = new Socket(server.getAddress(), server.getPort())) {
            toServer.setTcpNoDelay(true);
            client.setTcpNoDelay(true);
            upstream = toServer;
            Thread back = Thread.ofPlatform().daemon().start(() -> pump(toServer, client, false));
            pump(client, toServer, true);
            back.join();
        } catch (IOException | InterruptedException e) {
            // The test closed the relay or a side hung up: nothing more to relay.
        }
    }

    private void pump(Socket from, Socket to, boolean mayDelay) {
        byte[] chunk = new byte[32 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n; (n = in.read(chunk)) > 0;) {
                if (mayDelay && split && n > 1) {
                    out.write(chunk, 0, n / 2);
                    out.flush();
                    Thread.sleep(200);
                    out.write(chunk, n / 2, n - n / 2);
                } else {
                    out.write(chunk, 0, n);
                }
                out.flush();
            }
            to.shutdownOutput();
        } catch (IOException | InterruptedException e) {
            // One side closed: the relay ends.
        }
    }

    @Override
    public void close() throws IOException {
        front.close();
        Socket up = upstream;
        if (up != null) {
            up.close();
        }
    }
}
