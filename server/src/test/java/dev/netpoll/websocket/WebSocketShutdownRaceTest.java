package dev.netpoll.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netpoll.http.HttpConfig;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Graceful shutdown reaches a session whose handshake arrived on a connection shutdown had just
 * expired as quiet: the request is still served, and the session it opens must be told to go
 * away (1001) rather than run until the grace period ends and be cut off (1006).
 */
class WebSocketShutdownRaceTest {

    static final String HANDSHAKE = "GET /echo HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nSec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA==\r\nSec-WebSocket-Version: 13\r\n\r\n";

    @Test
    void sessionsOpenedDuringShutdownAreClosedWithGoingAway() throws Exception {
        var http = HttpConfig.DEFAULTS.toBuilder().shutdownQuietPeriod(Duration.ofMillis(1)).build();
        int count = 200;
        var settings = new WebSocketSettings(1024, 1024, Duration.ZERO, 1000, Duration.ofSeconds(10), Duration.ofSeconds(2));
        try (var server = WebSocketServer.start("epoll", settings, null, http)) {
            List<Socket> sockets = new ArrayList<>();
            try {
                for (int i = 0; i < count; i++) {
                    var socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
                    socket.setSoTimeout(8_000);
                    sockets.add(socket);
                }
                Thread.sleep(100); // all accepted and quiet
                long start = System.nanoTime();
                var drained = CompletableFuture.supplyAsync(() -> server.server.shutdownGracefully(Duration.ofSeconds(15)));
                List<CompletableFuture<String>> outcomes = new ArrayList<>();
                for (Socket socket : sockets) {
                    socket.getOutputStream().write(HANDSHAKE.getBytes(StandardCharsets.US_ASCII));
                    outcomes.add(CompletableFuture.supplyAsync(() -> outcome(socket)));
                }
                for (CompletableFuture<String> outcome : outcomes) {
                    assertThat(outcome.get()).isIn("refused", "going away");
                }
                assertThat(drained.get()).isTrue();
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            } finally {
                for (Socket socket : sockets) {
                    socket.close();
                }
            }
        }
    }

    /** "refused" (closed or not 101), "going away" (101 then a 1001 close), or what went wrong. */
    private static String outcome(Socket socket) {
        try {
            var in = socket.getInputStream();
            var head = new StringBuilder();
            int b;
            while (!head.toString().endsWith("\r\n\r\n") && (b = in.read()) >= 0) {
                head.append((char) b);
            }
            if (!head.toString().startsWith("HTTP/1.1 101")) {
                return "refused";
            }
            var data = new java.io.DataInputStream(in);
            int b0 = data.readUnsignedByte();
            int length = data.readUnsignedByte() & 0x7F;
            byte[] payload = new byte[length];
            data.readFully(payload);
            if ((b0 & 0x0F) != RawClient.CLOSE || length < 2 || (((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF)) != 1001) {
                return "frame " + b0 + " instead of a 1001 close";
            }
            socket.getOutputStream().write(RawClient.close(1001, ""));
            return "going away";
        } catch (java.io.IOException e) {
            return "101 but then " + e;
        }
    }
}
