package dev.netpoll.wsapp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.sockjs.client.SockJsClient;
import org.springframework.web.socket.sockjs.client.WebSocketTransport;

/**
 * SockJS on Netpoll over its WebSocket transport. The XHR fallbacks are in
 * {@code SockJsXhrFallbackTest} (Spring Boot 4.1 line only).
 */
@SpringBootTest(classes = WebSocketApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class SockJsFallbackTest {

    @LocalServerPort
    int port;

    void echoesOver(SockJsClient client) throws Exception {
        var inbox = new Inbox();
        WebSocketSession session = client.execute(inbox, "http://localhost:" + port + "/sockjs-echo")
                .get(10, TimeUnit.SECONDS);
        session.sendMessage(new TextMessage("over sockjs"));
        assertThat(inbox.next()).isEqualTo("over sockjs");
        session.sendMessage(new TextMessage("again"));
        assertThat(inbox.next()).isEqualTo("again");
        session.close();
    }

    @Test
    void sockJsOverWebSocket() throws Exception {
        echoesOver(new SockJsClient(List.of(new WebSocketTransport(new StandardWebSocketClient()))));
    }
}
