package dev.netpoll.websocket;

import static dev.netpoll.websocket.RawClient.BINARY;
import static dev.netpoll.websocket.RawClient.frame;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Legal messages near the size limit arrive whole whatever else shares their read: back-to-back
 * frames in one write, the 64-bit length form, and a limit raised after start (as Spring's
 * {@code ServletServerContainerFactoryBean} does); one byte over is still 1009.
 */
class WebSocketMessageSizeTest {

    static WebSocketSettings limits(int max) {
        return new WebSocketSettings(max, max, Duration.ZERO, 100, Duration.ofSeconds(10), Duration.ofSeconds(2));
    }

    static byte[] payload(int size, int seed) {
        byte[] bytes = new byte[size];
        new java.util.Random(seed).nextBytes(bytes);
        return bytes;
    }

    static void assertEchoed(RawClient client, byte[]... payloads) throws Exception {
        for (byte[] p : payloads) {
            RawClient.Frame echo = client.read();
            assertThat(echo.opcode()).isEqualTo(BINARY);
            assertThat(Arrays.equals(echo.payload(), p)).as("echo of %d bytes", p.length).isTrue();
        }
    }

    @Test
    void framesNearTheLimitBackToBackInOneWriteAreAllDelivered() throws Exception {
        try (var server = WebSocketServer.start("epoll", limits(64 * 1024));
                RawClient client = RawClient.connect(server.port(), "/echo")) {
            byte[] a = payload(60_000, 1);
            byte[] b = payload(64 * 1024, 2);
            byte[] c = payload(30_000, 3);
            client.send(frame(true, BINARY, a), frame(true, BINARY, b), frame(true, BINARY, c));
            assertEchoed(client, a, b, c);
        }
    }

    @Test
    void sixtyFourBitLengthFormIsReadUpToTheLimitAndRefusedPastIt() throws Exception {
        int max = 70_000; // past 65535: the 127 length form
        try (var server = WebSocketServer.start("epoll", limits(max))) {
            try (RawClient client = RawClient.connect(server.port(), "/echo")) {
                byte[] p = payload(max, 4);
                client.send(frame(true, BINARY, p), frame(true, BINARY, payload(10, 5)));
                assertEchoed(client, p, payload(10, 5));
            }
            try (RawClient client = RawClient.connect(server.port(), "/echo")) {
                client.send(frame(true, BINARY, payload(max + 1, 6)));
                assertThat(client.readClose().closeCode()).isEqualTo(1009);
            }
            try (RawClient client = RawClient.connect(server.port(), "/echo")) {
                // Length with the most significant bit set (RFC 6455 section 5.2 forbids it).
                client.send(new byte[] {(byte) 0x82, (byte) (0x80 | 127), (byte) 0x80, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 4});
                assertThat(client.readClose().closeCode()).isEqualTo(1002);
            }
        }
    }

    @Test
    void limitRaisedAfterStartAppliesToNewSessions() throws Exception {
        try (var server = WebSocketServer.start("epoll", limits(1024))) {
            server.container.setDefaultMaxBinaryMessageBufferSize(40_000);
            try (RawClient client = RawClient.connect(server.port(), "/echo")) {
                byte[] p = payload(40_000, 7);
                client.send(frame(true, BINARY, p));
                assertEchoed(client, p);
                client.send(frame(true, BINARY, payload(40_001, 8)));
                assertThat(client.readClose().closeCode()).isEqualTo(1009);
            }
        }
    }
}
