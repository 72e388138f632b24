package dev.netpoll.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A server-initiated close against a peer that never answers ends at the close timeout, even when
 * the close lands while the session's task is between reads of busy traffic (the moment the task
 * used to overwrite the close deadline with "none" and then park for good).
 *
 * <p>The race's window is a few instructions wide: this test exercises the path many times but
 * does not reliably hit the old window; it guards the silent-peer behaviour around it.
 */
class WebSocketCloseDeadlineTest {

    @Test
    void closeRacingBusyReadsStillEndsAtTheCloseTimeoutAgainstASilentPeer() throws Exception {
        var settings = new WebSocketSettings(1024, 1024, Duration.ZERO, 1000, Duration.ofSeconds(10),
                Duration.ofMillis(300));
        try (var server = WebSocketServer.start("epoll", settings)) {
            for (int round = 0; round < 20; round++) {
                int count = 10;
                List<RawClient> clients = new ArrayList<>();
                List<Thread> senders = new ArrayList<>();
                var stop = new AtomicBoolean();
                for (int i = 0; i < count; i++) {
                    RawClient client = RawClient.connect(server.port(), "/echo");
                    clients.add(client);
                    senders.add(Thread.ofVirtual().start(() -> {
                        try {
                            while (!stop.get()) {
                                client.send(RawClient.text("x"));
                                Thread.sleep(0, 100_000);
                            }
                        } catch (java.io.IOException | InterruptedException e) {
                            // the server closed: expected
                        }
                    }));
                    // Reads echoes until the close frame; then the client goes silent, socket open.
                    Thread.ofVirtual().start(() -> {
                        try {
                            client.readClose();
                        } catch (java.io.IOException e) {
                            // closed
                        }
                    });
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> server.container.sessionCount() == count);
                Thread.sleep(20);
                for (WebSocketSession session : server.container.sessions()) {
                    session.goAway();
                }
                Thread.sleep(50);
                stop.set(true);
                for (Thread sender : senders) {
                    sender.join();
                }
                // Close timeout 300 ms: every session is gone well within a few seconds.
                await().atMost(Duration.ofSeconds(5)).until(() -> server.container.sessionCount() == 0);
                for (RawClient client : clients) {
                    client.close();
                }
            }
        }
    }

    @Test
    void serverCloseAgainstASilentIdlePeerEndsAtTheCloseTimeout() throws Exception {
        var settings = new WebSocketSettings(1024, 1024, Duration.ZERO, 1000, Duration.ofSeconds(10),
                Duration.ofMillis(300));
        try (var server = WebSocketServer.start("epoll", settings);
                RawClient client = RawClient.connect(server.port(), "/echo")) {
            await().atMost(Duration.ofSeconds(5)).until(() -> server.container.sessionCount() == 1);
            long start = System.nanoTime();
            server.container.sessions().get(0).goAway();
            assertThat(client.readClose().closeCode()).isEqualTo(1001);
            assertThat(client.serverClosedConnection()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        }
    }
}
