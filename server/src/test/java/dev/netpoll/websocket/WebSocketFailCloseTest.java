package dev.netpoll.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The close code of a failed connection reaches a client that is still sending: a client that
 * announced an oversized message is usually mid-payload when the server answers 1009, and
 * closing the socket over its unread bytes would send a reset that destroys the close frame.
 */
class WebSocketFailCloseTest {

    static WebSocketServer server;

    @BeforeAll
    static void start() throws Exception {
        server = WebSocketServer.start("epoll", WebSocketServer.smallLimits());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Sends {@code frame} from another thread, as a client streaming it would, and reads the close. */
    static int closeCodeWhileSending(byte[] frame) throws Exception {
        try (RawClient client = RawClient.connect(server.port(), "/echo")) {
            assertThat(client.handshakeResponse).startsWith("HTTP/1.1 101 ");
            Thread sender = Thread.ofPlatform().start(() -> {
                try {
                    for (int at = 0; at < frame.length; at += 8192) {
                        client.send(java.util.Arrays.copyOfRange(frame, at, Math.min(frame.length, at + 8192)));
                    }
                } catch (IOException e) {
                    // the server stopped reading: expected
                }
            });
            try {
                return client.readClose().closeCode();
            } finally {
                client.socket.close();
                sender.join();
            }
        }
    }

    /**
     * A client with a small receive window that sends {@code echoes} messages without reading their
     * echoes (they wait in the server's send buffer), then {@code bad}: the close frame queues
     * behind the echoes, and only a close that does not reset the connection delivers it.
     */
    static int closeCodeBehindUnreadEchoes(int echoes, byte[] bad) throws Exception {
        try (RawClient client = RawClient.connect(server.port(), "/echo", "", new byte[0], 4096)) {
            assertThat(client.handshakeResponse).startsWith("HTTP/1.1 101 ");
            for (int i = 0; i < echoes; i++) {
                client.send(RawClient.frame(true, RawClient.BINARY, new byte[1000]));
            }
            Thread.sleep(100);
            client.send(bad);
            Thread.sleep(100); // the server fails the connection meanwhile
            try {
                // Still sending, as a client mid-payload is: bytes the server never reads.
                client.send(new byte[20_000]);
            } catch (IOException e) {
                // reset already: the read below shows what was lost
            }
            Thread.sleep(200);
            int frames = 0;
            for (;;) {
                RawClient.Frame frame = client.read();
                if (frame.opcode() == RawClient.CLOSE) {
                    assertThat(frames).as("echoes before the close %d %s", frame.closeCode(), new String(frame.payload(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(echoes);
                    return frame.closeCode();
                }
                frames++;
            }
        }
    }

    @Test
    void tooBigQueuedBehindUnreadEchoesIsNotLostToAReset() throws Exception {
        var header = new byte[] {(byte) 0x82, (byte) (0x80 | 126), (byte) 0x20, 0, 1, 2, 3, 4}; // 8192 bytes announced
        assertThat(closeCodeBehindUnreadEchoes(200, header)).isEqualTo(1009);
    }

    @Test
    void protocolErrorQueuedBehindUnreadEchoesIsNotLostToAReset() throws Exception {
        assertThat(closeCodeBehindUnreadEchoes(200, RawClient.frame(true, 0, RawClient.TEXT, new byte[10], false)))
                .isEqualTo(1002);
    }

    @Test
    void tooBigReachesAClientMidPayload() throws Exception {
        for (int i = 0; i < 20; i++) {
            assertThat(closeCodeWhileSending(RawClient.frame(true, RawClient.BINARY, new byte[2_000_000])))
                    .as("attempt %d", i).isEqualTo(1009);
        }
    }

    @Test
    void protocolErrorReachesAClientStillSending() throws Exception {
        byte[] bad = RawClient.frame(true, 0, RawClient.TEXT, new byte[100], false); // unmasked
        var all = new java.io.ByteArrayOutputStream();
        all.writeBytes(bad);
        for (int i = 0; i < 2000; i++) {
            all.writeBytes(RawClient.frame(true, RawClient.BINARY, new byte[1000]));
        }
        for (int i = 0; i < 20; i++) {
            assertThat(closeCodeWhileSending(all.toByteArray())).as("attempt %d", i).isEqualTo(1002);
        }
    }
}
