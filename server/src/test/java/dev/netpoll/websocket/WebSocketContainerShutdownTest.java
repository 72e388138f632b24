package dev.netpoll.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Stopping the servlet context stops the container's timers: the idle sweep and Tyrus' timer
 * worker must not outlive the server, keeping the container and the application's class loader
 * reachable (DevTools restarts, management child contexts, test JVMs).
 */
class WebSocketContainerShutdownTest {

    @Test
    void stoppingTheContextStopsTheIdleSweepAndTyrusTimers() throws Exception {
        var settings = new WebSocketSettings(1024, 1024, Duration.ofSeconds(30), 100, Duration.ofSeconds(10),
                Duration.ofSeconds(2));
        var server = WebSocketServer.start("epoll", settings);
        try {
            try (RawClient client = RawClient.connect(server.port(), "/echo")) {
                client.send(RawClient.text("hi"));
                assertThat(client.read().text()).isEqualTo("hi");
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> server.container.sessionCount() == 0);
            var timers = server.container.getScheduledExecutorService();
            var sweep = server.container.idleSweeper();
            assertThat(sweep).isNotNull();
            assertThat(timers.isShutdown()).isFalse();
            assertThat(sweep.isShutdown()).isFalse();
            server.server.close();
            server.context.stop(); // what the Boot web server's destroy() does
            for (var timer : java.util.List.of(timers, sweep)) {
                assertThat(timer.isShutdown()).isTrue();
                assertThat(timer.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            server.container.shutdown();
        }
    }
}
