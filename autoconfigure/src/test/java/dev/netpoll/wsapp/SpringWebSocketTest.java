package dev.netpoll.wsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Type;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.messaging.converter.StringMessageConverter;
import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.messaging.WebSocketStompClient;

/**
 * Spring WebSocket applications run unchanged on Netpoll: handlers, interceptors, origin checks,
 * sub-protocols, {@code @ServerEndpoint} classes and STOMP, through Spring's own clients (on
 * Tomcat's Jakarta WebSocket client, an implementation independent of ours).
 */
@SpringBootTest(classes = WebSocketApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class SpringWebSocketTest {

    @LocalServerPort
    int port;

    final StandardWebSocketClient client = new StandardWebSocketClient(largeMessages());

    static jakarta.websocket.WebSocketContainer largeMessages() {
        // Tomcat's client takes 8 KiB messages by default; the server's limit is 64 KiB.
        var container = jakarta.websocket.ContainerProvider.getWebSocketContainer();
        container.setDefaultMaxTextMessageBufferSize(1 << 20);
        container.setDefaultMaxBinaryMessageBufferSize(1 << 20);
        return container;
    }

    WebSocketSession connect(String path, Inbox inbox) throws Exception {
        return connect(path, inbox, new WebSocketHttpHeaders());
    }

    WebSocketSession connect(String path, Inbox inbox, WebSocketHttpHeaders headers) throws Exception {
        return client.execute(inbox, headers, URI.create("ws://localhost:" + port + path)).get(10, TimeUnit.SECONDS);
    }

    @Test
    void textAndBinaryMessagesAreEchoed() throws Exception {
        var inbox = new Inbox();
        WebSocketSession session = connect("/echo", inbox);
        session.sendMessage(new TextMessage("hello"));
        assertThat(inbox.next()).isEqualTo("hello");
        String large = "x".repeat(40_000) + "é";
        session.sendMessage(new TextMessage(large));
        assertThat(inbox.next()).isEqualTo(large);
        session.sendMessage(new BinaryMessage(new byte[] {1, 2, 3, (byte) 0xFF}));
        assertThat((byte[]) inbox.next()).containsExactly(1, 2, 3, (byte) 0xFF);
        session.close();
    }

    @Test
    void handshakeInterceptorSeesTheRequestAndCanRefuseIt() throws Exception {
        var inbox = new Inbox();
        WebSocketSession session = connect("/echo?user=ann", inbox);
        session.sendMessage(new TextMessage("whoami"));
        assertThat(inbox.next()).isEqualTo("user=ann");
        session.close();
        assertThatThrownBy(() -> connect("/echo?user=blocked", new Inbox())).hasStackTraceContaining("403");
    }

    @Test
    void subProtocolIsNegotiated() throws Exception {
        var headers = new WebSocketHttpHeaders();
        headers.setSecWebSocketProtocol(List.of("v9.unknown", "v1.echo"));
        var inbox = new Inbox();
        WebSocketSession session = connect("/echo", inbox, headers);
        assertThat(session.getAcceptedProtocol()).isEqualTo("v1.echo");
        session.sendMessage(new TextMessage("protocol"));
        assertThat(inbox.next()).isEqualTo("protocol=v1.echo");
        session.close();
    }

    @Test
    void originCheckRefusesOtherOrigins() throws Exception {
        var allowed = new WebSocketHttpHeaders();
        allowed.setOrigin("https://allowed.example");
        var inbox = new Inbox();
        WebSocketSession session = connect("/guarded", inbox, allowed);
        session.sendMessage(new TextMessage("ok"));
        assertThat(inbox.next()).isEqualTo("ok");
        session.close();
        var other = new WebSocketHttpHeaders();
        other.setOrigin("https://evil.example");
        assertThatThrownBy(() -> connect("/guarded", new Inbox(), other)).hasStackTraceContaining("403");
    }

    @Test
    void applicationCloseCodeReachesTheClient() throws Exception {
        var inbox = new Inbox();
        WebSocketSession session = connect("/echo", inbox);
        session.sendMessage(new TextMessage("close"));
        var status = inbox.closed.get(10, TimeUnit.SECONDS);
        assertThat(status.getCode()).isEqualTo(4000);
        assertThat(status.getReason()).isEqualTo("asked to");
    }

    @Test
    void serverEndpointClassWithPathTemplate() throws Exception {
        var inbox = new Inbox();
        WebSocketSession session = connect("/rooms/lobby", inbox);
        assertThat(inbox.next()).isEqualTo("welcome to lobby");
        session.sendMessage(new TextMessage("hi"));
        assertThat(inbox.next()).isEqualTo("lobby: hi");
        session.close();
    }

    @Test
    void stompWithTheSimpleBroker() throws Exception {
        var stomp = new WebSocketStompClient(client);
        stomp.setMessageConverter(new StringMessageConverter());
        StompSession session = stomp.connectAsync("ws://localhost:" + port + "/stomp", new StompSessionHandlerAdapter() {
        }).get(10, TimeUnit.SECONDS);
        var received = new CompletableFuture<String>();
        StompHeaders subscribe = new StompHeaders();
        subscribe.setDestination("/topic/greetings");
        session.subscribe(subscribe, new StompFrameHandler() {
            @Override
            public Type getPayloadType(StompHeaders headers) {
                return String.class;
            }

            @Override
            public void handleFrame(StompHeaders headers, Object payload) {
                received.complete((String) payload);
            }
        });
        // The simple broker acknowledges no SUBSCRIBE: send until the subscription is in place.
        for (int i = 0; i < 50 && !received.isDone(); i++) {
            session.send("/app/hello", "Ann");
            Thread.sleep(200);
        }
        assertThat(received.get(10, TimeUnit.SECONDS)).isEqualTo("Hello, Ann!");
        session.disconnect();
    }

    @Test
    void manyMessagesBothWaysInOrder() throws Exception {
        var inbox = new Inbox();
        WebSocketSession session = connect("/echo", inbox);
        for (int i = 0; i < 500; i++) {
            session.sendMessage(new TextMessage("m" + i));
        }
        for (int i = 0; i < 500; i++) {
            assertThat(inbox.next()).isEqualTo("m" + i);
        }
        session.sendMessage(new BinaryMessage(ByteBuffer.allocate(0)));
        assertThat((byte[]) inbox.next()).isEmpty();
        session.close();
    }
}
