package dev.netpoll.http;

import dev.netpoll.sys.NativeBufferPool;
import dev.netpoll.poll.Conn;
import dev.netpoll.sys.NativeBuffer;
import dev.netpoll.tls.NotTlsException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The answer to a cleartext client on a TLS port: a plain HTTP/1.1 {@code 400} that a person (or
 * curl) can read, as Tomcat gives, rather than a TLS alert or a hang. Sent only when the first byte
 * was printable ASCII, which every HTTP method starts with; other garbage just gets the socket
 * closed.
 */
final class PlainHttpOnTlsPort {

    private static final System.Logger LOG = System.getLogger(PlainHttpOnTlsPort.class.getName());
    private static final String BODY = "This port speaks HTTPS: use an https:// URL.\n";
    private static final byte[] RESPONSE = ("HTTP/1.1 400 Bad Request\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\n"
            + "Content-Length: " + BODY.length() + "\r\n"
            + "Connection: close\r\n\r\n" + BODY).getBytes(StandardCharsets.US_ASCII);
    /** How long the close waits for the client to stop sending, so that it reads the answer, not a reset. */
    private static final Duration LINGER = Duration.ofMillis(500);

    private PlainHttpOnTlsPort() {
    }

    /** Answers on {@code plain} and reads what the client still sends for a short while, into a buffer of {@code pool}. */
    static void answer(Conn plain, NotTlsException e, NativeBufferPool pool) {
        LOG.log(System.Logger.Level.DEBUG, () -> "cleartext on the TLS port from " + plain.remoteAddress() + ": " + e.getMessage());
        if (e.firstByte() < 'A' || e.firstByte() > 'Z') {
            return;
        }
        try {
            plain.setWriteDeadline(System.nanoTime() + LINGER.toNanos());
            plain.write(ByteBuffer.wrap(RESPONSE));
            plain.shutdownOutput();
            plain.setReadDeadline(System.nanoTime() + LINGER.toNanos());
            NativeBuffer sink = pool.acquire();
            try {
                do {
                    sink.buffer().clear();
                } while (plain.read(sink) >= 0);
            } finally {
                pool.release(sink);
            }
        } catch (IOException ignored) {
            // Gone, reset or still sending after the linger: the socket closes either way.
        }
    }
}
