package dev.netpoll.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The idle sweep keeps its schedule whatever the application's timers do: a Tyrus timer task
 * (a heartbeat whose pong is stuck behind a slow client, up to the write timeout) must not hold
 * up the closing of idle sessions.
 */
class WebSocketIdleSweepTest {

    @Test
    void aBlockedApplicationTimerDoesNotStallTheIdleSweep() throws Exception {
        var settings = new WebSocketSettings(1024, 1024, Duration.ofMillis(300), 100, Duration.ofSeconds(10),
                Duration.ofSeconds(2));
        try (var server = WebSocketServer.start("epoll", settings)) {
            // Tyrus' timers: a task stuck for 8 s, as a heartbeat's blocked send would be.
            server.container.getScheduledExecutorService().schedule(() -> {
                try {
                    Thread.sleep(8_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, 1, TimeUnit.MILLISECONDS);
            Thread.sleep(50);
            try (RawClient client = RawClient.connect(server.port(), "/echo")) {
                long start = System.nanoTime();
                assertThat(client.readClose().closeCode()).isEqualTo(1001);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
            }
        }
    }
}
