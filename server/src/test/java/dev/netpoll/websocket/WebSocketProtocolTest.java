package dev.netpoll.websocket;

import static dev.netpoll.websocket.RawClient.BINARY;
import static dev.netpoll.websocket.RawClient.CLOSE;
import static dev.netpoll.websocket.RawClient.CONTINUATION;
import static dev.netpoll.websocket.RawClient.PING;
import static dev.netpoll.websocket.RawClient.PONG;
import static dev.netpoll.websocket.RawClient.TEXT;
import static dev.netpoll.websocket.RawClient.frame;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * RFC 6455 over a real socket with hand-made frames: the close code the server answers each
 * protocol violation with (section 7.4.1), the closing handshake, fragmentation and control
 * frames in between, and bytes sent right behind the handshake request.
 */
class WebSocketProtocolTest {

    static WebSocketServer server;

    @BeforeAll
    static void start() throws Exception {
        server = WebSocketServer.start("epoll", WebSocketServer.smallLimits());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static RawClient open() throws Exception {
        RawClient client = RawClient.connect(server.port(), "/echo");
        assertThat(client.handshakeResponse).startsWith("HTTP/1.1 101 ")
                .containsIgnoringCase("upgrade: websocket").containsIgnoringCase("connection: upgrade")
                .doesNotContainIgnoringCase("content-length").doesNotContainIgnoringCase("transfer-encoding");
        return client;
    }

    /** Sends {@code frames} and expects the server to close with {@code code} and drop the connection. */
    static void assertClosedWith(int code, byte[]... frames) throws Exception {
        try (RawClient client = open()) {
            client.send(frames);
            RawClient.Frame close = client.readClose();
            assertThat(close.closeCode()).isEqualTo(code);
            assertThat(client.serverClosedConnection()).isTrue();
        }
    }

    @Test
    void echoesTextAndBinary() throws Exception {
        try (RawClient client = open()) {
            client.send(RawClient.text("héllo"));
            RawClient.Frame echo = client.read();
            assertThat(echo.opcode()).isEqualTo(TEXT);
            assertThat(echo.fin()).isTrue();
            assertThat(echo.text()).isEqualTo("héllo");
            client.send(frame(true, BINARY, new byte[] {0, 1, 2}));
            assertThat(client.read().payload()).containsExactly(0, 1, 2);
        }
    }

    @Test
    void framesSentWithTheHandshakeAreNotLost() throws Exception {
        try (RawClient client = RawClient.connect(server.port(), "/echo", "", RawClient.text("early"))) {
            assertThat(client.handshakeResponse).startsWith("HTTP/1.1 101 ");
            assertThat(client.read().text()).isEqualTo("early");
        }
    }

    @Test
    void fragmentedMessageWithAPingInTheMiddle() throws Exception {
        try (RawClient client = open()) {
            client.send(frame(false, TEXT, "fra".getBytes(StandardCharsets.UTF_8)),
                    frame(true, PING, "are you there".getBytes(StandardCharsets.UTF_8)),
                    frame(false, CONTINUATION, "gm".getBytes(StandardCharsets.UTF_8)));
            // Section 5.5.2: the pong comes at once, before the message is complete.
            RawClient.Frame pong = client.read();
            assertThat(pong.opcode()).isEqualTo(PONG);
            assertThat(pong.text()).isEqualTo("are you there");
            client.send(frame(true, CONTINUATION, "ents".getBytes(StandardCharsets.UTF_8)));
            assertThat(client.read().text()).isEqualTo("fragments");
        }
    }

    @Test
    void framesSplitAnywhereAcrossReadsAreReassembled() throws Exception {
        // Payload sizes around the 8-byte unmasking stride and the 7/16-bit length encodings.
        int[] sizes = {0, 1, 7, 8, 9, 15, 17, 125, 126, 127, 300, 1024};
        var random = new java.util.Random(15);
        try (RawClient client = open()) {
            client.socket.setTcpNoDelay(true);
            var all = new java.io.ByteArrayOutputStream();
            List<String> sent = new java.util.ArrayList<>();
            for (int size : sizes) {
                var text = new StringBuilder();
                for (int k = 0; k < size; k++) {
                    text.append((char) ('a' + random.nextInt(26)));
                }
                sent.add(text.toString());
                all.writeBytes(RawClient.text(text.toString()));
            }
            byte[] bytes = all.toByteArray();
            for (int at = 0; at < bytes.length; ) {
                int piece = 1 + random.nextInt(random.nextBoolean() ? 3 : 40);
                int n = Math.min(piece, bytes.length - at);
                client.send(java.util.Arrays.copyOfRange(bytes, at, at + n));
                at += n;
                Thread.sleep(1);
            }
            for (String text : sent) {
                assertThat(client.read().text()).isEqualTo(text);
            }
        }
    }

    @Test
    void closingHandshakeEchoesTheCodeAndClosesTheConnection() throws Exception {
        try (RawClient client = open()) {
            client.send(RawClient.close(1000, "bye"));
            RawClient.Frame close = client.read();
            assertThat(close.opcode()).isEqualTo(CLOSE);
            assertThat(close.closeCode()).isEqualTo(1000);
            assertThat(client.serverClosedConnection()).isTrue();
        }
    }

    @Test
    void closeFrameWithACodeNotForTheWireIsAProtocolError() throws Exception {
        // Section 7.4: 1005 and 1006 are never sent, 999 and 1016-2999 are unassigned or reserved.
        for (int code : new int[] {999, 1005, 1006, 1016, 2999, 5000}) {
            assertClosedWith(1002, RawClient.close(code, ""));
        }
        assertClosedWith(1002, frame(true, CLOSE, new byte[] {3}));
    }

    @Test
    void framesBeforeABadOneInTheSameReadAreStillDelivered() throws Exception {
        try (RawClient client = open()) {
            client.send(RawClient.text("one"), RawClient.text("two"), RawClient.text("three"),
                    frame(true, 0, TEXT, "plain".getBytes(StandardCharsets.UTF_8), false), RawClient.text("never"));
            assertThat(client.read().text()).isEqualTo("one");
            assertThat(client.read().text()).isEqualTo("two");
            assertThat(client.read().text()).isEqualTo("three");
            RawClient.Frame close = client.read();
            assertThat(close.opcode()).isEqualTo(CLOSE);
            assertThat(close.closeCode()).isEqualTo(1002);
        }
    }

    @Test
    void unmaskedClientFrameIsAProtocolError() throws Exception {
        assertClosedWith(1002, frame(true, 0, TEXT, "plain".getBytes(StandardCharsets.UTF_8), false));
    }

    @Test
    void invalidUtf8InTextIsInconsistentData() throws Exception {
        assertClosedWith(1007, frame(true, TEXT, new byte[] {'a', (byte) 0xC3, (byte) 0x28}));
    }

    @Test
    void invalidUtf8SplitAcrossFragmentsIsInconsistentData() throws Exception {
        assertClosedWith(1007, frame(false, TEXT, new byte[] {'a', (byte) 0xE2}),
                frame(true, CONTINUATION, new byte[] {(byte) 0x28, (byte) 0xA1}));
    }

    @Test
    void oversizedMessageIsTooBig() throws Exception {
        assertClosedWith(1009, frame(true, TEXT, "x".repeat(1025).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void oversizedFragmentedMessageIsTooBig() throws Exception {
        byte[] half = new byte[600];
        assertClosedWith(1009, frame(false, BINARY, half), frame(true, CONTINUATION, half));
    }

    @Test
    void fragmentedControlFrameIsAProtocolError() throws Exception {
        assertClosedWith(1002, frame(false, PING, new byte[] {1}));
    }

    @Test
    void controlFrameOver125BytesIsAProtocolError() throws Exception {
        assertClosedWith(1002, frame(true, PING, new byte[126]));
    }

    @Test
    void continuationWithoutAStartIsAProtocolError() throws Exception {
        assertClosedWith(1002, frame(true, CONTINUATION, "x".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void newMessageInsideAFragmentedOneIsAProtocolError() throws Exception {
        assertClosedWith(1002, frame(false, TEXT, new byte[] {'a'}), frame(true, TEXT, new byte[] {'b'}));
    }

    @Test
    void reservedOpcodeIsAProtocolError() throws Exception {
        assertClosedWith(1002, frame(true, 3, new byte[] {1}));
        assertClosedWith(1002, frame(true, 0xB, new byte[] {1}));
    }

    @Test
    void reservedBitsWithoutAnExtensionAreAProtocolError() throws Exception {
        assertClosedWith(1002, frame(true, 4, TEXT, "x".getBytes(StandardCharsets.UTF_8), true));
    }

    @Test
    void handshakeWithoutAKeyIsRefused() throws Exception {
        try (var socket = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), server.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /echo HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            // RFC 6455 section 4.2.1: a handshake without a key is a bad request, refused as such
            // (not a 500 from a failed engine, not a 101).
            String answer = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(answer).isEqualTo("HTTP/1.1 400");
        }
    }
}
