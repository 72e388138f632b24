package dev.netpoll.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;

/**
 * The session limit holds under a reconnect storm: handshakes arriving together cannot all pass
 * it before any session opens; and a handshake whose upgrade is then dropped gives its slot back.
 */
class WebSocketSessionLimitTest {

    static WebSocketSettings limit(int max) {
        return new WebSocketSettings(1024, 1024, Duration.ZERO, max, Duration.ofSeconds(10), Duration.ofSeconds(2));
    }

    @Test
    void concurrentHandshakesNeverExceedTheLimit() throws Exception {
        int max = 5;
        int clients = 60;
        try (var server = WebSocketServer.start("epoll", limit(max))) {
            var barrier = new CyclicBarrier(clients);
            List<CompletableFuture<RawClient>> opened = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                opened.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        barrier.await();
                        return RawClient.connect(server.port(), "/echo");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()));
            }
            // Every client stays connected until all have their answer: a session closed early
            // would free its slot for a handshake still in flight, and the limit is on sessions
            // open at once, not on sessions ever opened.
            List<RawClient> answered = new ArrayList<>();
            try {
                for (CompletableFuture<RawClient> future : opened) {
                    answered.add(future.get());
                }
                int switched = 0;
                int refused = 0;
                for (RawClient client : answered) {
                    if (client.handshakeResponse.startsWith("HTTP/1.1 101")) {
                        switched++;
                    } else {
                        assertThat(client.handshakeResponse).startsWith("HTTP/1.1 503");
                        refused++;
                    }
                }
                assertThat(switched).isBetween(1, max);
                assertThat(switched + refused).isEqualTo(clients);
            } finally {
                for (RawClient client : answered) {
                    client.close();
                }
            }
        }
    }

    @Test
    void aDroppedUpgradeGivesItsSlotBack() throws Exception {
        try (var server = WebSocketServer.start("epoll", limit(1))) {
            for (int i = 0; i < 3; i++) {
                // A handshake with a malformed body: the engine accepts it, the switch is then dropped.
                try (var socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
                    socket.setSoTimeout(10_000);
                    socket.getOutputStream().write(("GET /echo HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
                            + "Connection: Upgrade\r\nSec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA==\r\n"
                            + "Sec-WebSocket-Version: 13\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                    assertThat(answer).startsWith("HTTP/1.1 400");
                }
            }
            try (RawClient client = RawClient.connect(server.port(), "/echo")) {
                assertThat(client.handshakeResponse).startsWith("HTTP/1.1 101");
                client.send(RawClient.close(1000, ""));
                client.readClose();
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> server.container.sessionCount() == 0);
            try (RawClient again = RawClient.connect(server.port(), "/echo")) {
                assertThat(again.handshakeResponse).startsWith("HTTP/1.1 101");
            }
        }
    }
}
