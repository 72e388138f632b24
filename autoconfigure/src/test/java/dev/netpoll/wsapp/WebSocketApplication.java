package dev.netpoll.wsapp;

import java.util.Map;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.messaging.simp.config.MessageBrokerRegistry;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.EnableWebSocketMessageBroker;
import org.springframework.web.socket.config.annotation.StompEndpointRegistry;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.socket.server.standard.ServerEndpointExporter;

/**
 * A Spring WebSocket application as a user writes it for Tomcat: handlers, a handshake
 * interceptor, an origin check, sub-protocols, SockJS, STOMP with the simple broker and a
 * {@code @ServerEndpoint} class exported by {@link ServerEndpointExporter}.
 */
@SpringBootApplication
@EnableWebSocket
@EnableWebSocketMessageBroker
public class WebSocketApplication implements WebSocketConfigurer, WebSocketMessageBrokerConfigurer {

    @Bean
    EchoHandler echoHandler() {
        return new EchoHandler();
    }

    @Bean
    BroadcastHandler broadcastHandler() {
        return new BroadcastHandler();
    }

    @Bean
    ServerEndpointExporter serverEndpointExporter() {
        var exporter = new ServerEndpointExporter();
        exporter.setAnnotatedEndpointClasses(RoomEndpoint.class);
        return exporter;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        registry.addHandler(echoHandler(), "/echo").addInterceptors(new UserFromQuery());
        registry.addHandler(echoHandler(), "/guarded").setAllowedOrigins("https://allowed.example");
        registry.addHandler(broadcastHandler(), "/broadcast");
        registry.addHandler(echoHandler(), "/sockjs-echo").withSockJS();
    }

    @Override
    public void configureMessageBroker(MessageBrokerRegistry registry) {
        registry.enableSimpleBroker("/topic");
        registry.setApplicationDestinationPrefixes("/app");
    }

    @Override
    public void registerStompEndpoints(StompEndpointRegistry registry) {
        registry.addEndpoint("/stomp");
    }

    /** Copies {@code ?user=} into the session's attributes, as interceptors for authentication do. */
    static final class UserFromQuery implements HandshakeInterceptor {

        @Override
        public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
                Map<String, Object> attributes) {
            String user = ((ServletServerHttpRequest) request).getServletRequest().getParameter("user");
            if ("blocked".equals(user)) {
                response.setStatusCode(org.springframework.http.HttpStatus.FORBIDDEN);
                return false;
            }
            attributes.put("user", user);
            return true;
        }

        @Override
        public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
                Exception exception) {
        }
    }
}
