package dev.netpoll.bench.websocket;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import org.springframework.web.socket.server.standard.StandardWebSocketUpgradeStrategy;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;

/**
 * The WebSocket benchmark's service: Spring's plain handler echoing each text message at
 * {@code /echo}. With Jetty's WebSocket server on the class path (it is, for the Jetty runs)
 * Spring's default handshake handler picks its Jetty strategy whatever the server;
 * {@code bench.standard-upgrade=true} (set for the Netpoll and Tomcat runs) picks the standard Jakarta
 * WebSocket 2.1 upgrade instead.
 */
@SpringBootApplication
@EnableWebSocket
public class EchoApplication implements WebSocketConfigurer {

    @Value("${bench.standard-upgrade:false}")
    boolean standardUpgrade;

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        var handshake = standardUpgrade ? new DefaultHandshakeHandler(new StandardWebSocketUpgradeStrategy())
                : new DefaultHandshakeHandler();
        registry.addHandler(new TextWebSocketHandler() {
            @Override
            protected void handleTextMessage(WebSocketSession session, TextMessage message) throws Exception {
                session.sendMessage(message);
            }
        }, "/echo").setHandshakeHandler(handshake);
    }

    public static void main(String[] args) {
        SpringApplication.run(EchoApplication.class, args);
    }
}
