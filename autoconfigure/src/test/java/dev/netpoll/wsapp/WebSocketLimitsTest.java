package dev.netpoll.wsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;

/** {@code server.netpoll.websocket.*} limits as an application sets them, and refused when they make no sense. */
@SpringBootTest(classes = WebSocketApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "server.netpoll.websocket.max-text-message-size=1KB", "server.netpoll.websocket.idle-timeout=500ms"})
class WebSocketLimitsTest {

    @LocalServerPort
    int port;

    final StandardWebSocketClient client = new StandardWebSocketClient(SpringWebSocketTest.largeMessages());

    @Test
    void textMessageOverTheLimitClosesWith1009() throws Exception {
        var inbox = new Inbox();
        WebSocketSession session = client.execute(inbox, "ws://localhost:" + port + "/echo").get(10, TimeUnit.SECONDS);
        session.sendMessage(new TextMessage("x".repeat(1024)));
        assertThat(inbox.next()).isEqualTo("x".repeat(1024));
        session.sendMessage(new TextMessage("x".repeat(1025)));
        assertThat(inbox.closed.get(10, TimeUnit.SECONDS).getCode()).isEqualTo(CloseStatus.TOO_BIG_TO_PROCESS.getCode());
    }

    @Test
    void idleSessionClosesWith1001() throws Exception {
        var inbox = new Inbox();
        client.execute(inbox, "ws://localhost:" + port + "/echo").get(10, TimeUnit.SECONDS);
        long start = System.nanoTime();
        assertThat(inbox.closed.get(10, TimeUnit.SECONDS).getCode()).isEqualTo(CloseStatus.GOING_AWAY.getCode());
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(400);
    }

    @Test
    void nonsensicalLimitFailsStartupNamingTheProperty() {
        assertThatThrownBy(() -> SpringApplication.run(WebSocketApplication.class, "--server.port=0",
                "--spring.main.banner-mode=off", "--server.netpoll.websocket.max-sessions=0"))
                .hasStackTraceContaining("server.netpoll.websocket.max-sessions must be at least 1, was 0");
    }
}
