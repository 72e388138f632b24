package dev.netpoll.bench;

import dev.netpoll.poll.Conn;
import dev.netpoll.poll.Listener;
import dev.netpoll.poll.Transport;
import dev.netpoll.sys.NativeBuffer;
import dev.netpoll.sys.NativeBufferPool;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The C program of {@code ../shared/peers/c-ceiling} rewritten on Netpoll's runtime: the epoll
 * transport, a task per connection in blocking style, reads and writes through JNA, and none of
 * the HTTP server. It counts the {@code CRLF CRLF} in what it read and writes one fixed response
 * for each, exactly as the C program does. So its CPU per request, next to the C program's and
 * the raw server's in {@code bench/load.sh}, splits the raw server's gap to C in two: what the
 * runtime costs (the poll task, waking and parking a task per request, the native binding) and
 * what the HTTP layer above it costs (parsing, the response, the handler).
 *
 * <p>Usage: {@code RuntimeFloorServer PORT}.
 */
public final class RuntimeFloorServer {

    private static final byte[] RESPONSE = ("HTTP/1.1 200 OK\r\nContent-Length: 13\r\n"
            + "Content-Type: text/plain\r\n\r\nRequest #1234\n").getBytes(StandardCharsets.US_ASCII);
    /**
     * Borrowed for one request, as the raw server borrows its buffers: a few warm buffers shared
     * by every connection, where the C program has one static pair.
     */
    private static final NativeBufferPool BUFFERS = new NativeBufferPool(16 * 1024, 64, "floor buffer");

    private RuntimeFloorServer() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Transport transport = Transport.open("epoll", 1);
        Listener listener = transport.listen(new InetSocketAddress(port), 4096);
        System.out.println("runtime floor server listening on port " + port);
        for (;;) {
            Conn conn = listener.accept();
            Thread.ofVirtual().start(() -> serve(conn));
        }
    }

    private static void serve(Conn conn) {
        try (conn) {
            for (;;) {
                conn.awaitReadable();
                NativeBuffer pooled = BUFFERS.acquire();
                try {
                    ByteBuffer bytes = pooled.buffer().clear();
                    int n = conn.readNow(pooled);
                    if (n < 0) {
                        return;
                    }
                    int requests = countHeads(bytes, n);
                    bytes.clear();
                    for (; requests > 0 && bytes.remaining() >= RESPONSE.length; requests--) {
                        bytes.put(RESPONSE);
                    }
                    if (bytes.flip().hasRemaining()) {
                        conn.write(pooled);
                    }
                } finally {
                    BUFFERS.release(pooled);
                }
            }
        } catch (IOException e) {
            // the client went away: its task ends
        }
    }

    /** How many {@code CRLF CRLF} the first {@code n} bytes hold, as the C program counts them. */
    private static int countHeads(ByteBuffer bytes, int n) {
        int heads = 0;
        for (int i = 3; i < n; i++) {
            if (bytes.get(i) == '\n' && bytes.get(i - 1) == '\r' && bytes.get(i - 2) == '\n' && bytes.get(i - 3) == '\r') {
                heads++;
            }
        }
        return heads;
    }
}
