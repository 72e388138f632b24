package dev.netpoll.wsapp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;

/**
 * Closing the application with {@code server.shutdown=graceful} (Boot's default) tells open
 * WebSocket sessions with 1001 going away and does not wait out the grace period for them.
 */
class WebSocketGracefulShutdownTest {

    @Test
    void gracefulShutdownClosesSessionsWithGoingAway() throws Exception {
        ConfigurableApplicationContext context = SpringApplication.run(WebSocketApplication.class, "--server.port=0",
                "--spring.main.banner-mode=off", "--spring.lifecycle.timeout-per-shutdown-phase=20s");
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        var inbox = new Inbox();
        WebSocketSession session = new StandardWebSocketClient().execute(inbox, "ws://localhost:" + port + "/echo")
                .get(10, TimeUnit.SECONDS);
        session.sendMessage(new TextMessage("before"));
        assertThat(inbox.next()).isEqualTo("before");
        long start = System.nanoTime();
        var closed = CompletableFuture.runAsync(context::close);
        CloseStatus status = inbox.closed.get(10, TimeUnit.SECONDS);
        assertThat(status.getCode()).isEqualTo(CloseStatus.GOING_AWAY.getCode());
        closed.get(15, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }
}
