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
import org.springframework.web.socket.sockjs.client.RestTemplateXhrTransport;
import org.springframework.web.socket.sockjs.client.SockJsClient;

/**
 * SockJS over its XHR fallbacks (streaming, then polling): plain HTTP requests that hold the
 * response open on an async servlet request, with messages sent on other connections. Spring
 * Boot 4.1 line only: Spring Framework 7.0.8 (Boot 4.0.7) compares the whole remote socket
 * address, port included, of the sending request with the session's, so a send on another
 * connection gets 404 on any server; 7.0.10 compares the host.
 */
@SpringBootTest(classes = WebSocketApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class SockJsXhrFallbackTest {

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
    void sockJsOverXhrStreaming() throws Exception {
        var xhr = new RestTemplateXhrTransport();
        xhr.setXhrStreamingDisabled(false);
        echoesOver(new SockJsClient(List.of(xhr)));
    }

    @Test
    void sockJsOverXhrPolling() throws Exception {
        var xhr = new RestTemplateXhrTransport();
        xhr.setXhrStreamingDisabled(true);
        echoesOver(new SockJsClient(List.of(xhr)));
    }
}
