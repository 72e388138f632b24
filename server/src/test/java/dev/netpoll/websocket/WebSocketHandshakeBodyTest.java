package dev.netpoll.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A handshake request that carries a body (RFC 9110 section 7.8: the switch happens after the
 * whole request): a short body is read and the session starts clean after it; a body that cannot
 * be read (malformed chunked framing, past the drain limit, or awaiting 100 Continue) gets an
 * error response and a closed connection, never a 101 with the body's bytes taken for frames.
 */
class WebSocketHandshakeBodyTest {

    static WebSocketServer server;

    @BeforeAll
    static void start() throws Exception {
        server = WebSocketServer.start("epoll", WebSocketServer.smallLimits());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String handshake(String extraHeaders) {
        return "GET /echo HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA==\r\nSec-WebSocket-Version: 13\r\n" + extraHeaders + "\r\n";
    }

    /** Sends {@code request}, returns the status line; asserts the server then closes the connection. */
    static String refused(byte[] request) throws Exception {
        try (var socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request);
            InputStream in = socket.getInputStream();
            String all = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(all).doesNotContain("101 ");
            return all.substring(0, all.indexOf("\r\n"));
        } catch (java.net.SocketException reset) {
            throw new AssertionError("reset instead of an error response", reset);
        }
    }

    @Test
    void shortBodyIsReadBeforeTheSwitch() throws Exception {
        byte[] body = "hello".getBytes(StandardCharsets.US_ASCII);
        try (RawClient client = RawClient.connect(server.port(), "/echo", "Content-Length: 5\r\n", body)) {
            assertThat(client.handshakeResponse).startsWith("HTTP/1.1 101 ");
            client.send(RawClient.text("after the body"));
            assertThat(client.read().text()).isEqualTo("after the body");
        }
    }

    @Test
    void malformedChunkedBodyIsRefused() throws Exception {
        byte[] request = (handshake("Transfer-Encoding: chunked\r\n") + "zz\r\n\u0081\u0085abcdefghi")
                .getBytes(StandardCharsets.ISO_8859_1);
        assertThat(refused(request)).startsWith("HTTP/1.1 400");
    }

    @Test
    void bodyPastTheDrainLimitIsRefused() throws Exception {
        // 3 MB declared, a frame's worth sent: the rest is never read.
        byte[] request = (handshake("Content-Length: 3000000\r\n") + "\u0081\u0085abcdefghi")
                .getBytes(StandardCharsets.ISO_8859_1);
        assertThat(refused(request)).startsWith("HTTP/1.1 413");
    }

    @Test
    void bodyAwaitingContinueIsRefused() throws Exception {
        byte[] request = handshake("Content-Length: 10\r\nExpect: 100-continue\r\n").getBytes(StandardCharsets.ISO_8859_1);
        assertThat(refused(request)).startsWith("HTTP/1.1 417");
    }
}
