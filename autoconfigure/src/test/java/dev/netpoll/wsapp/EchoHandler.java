package dev.netpoll.wsapp;

import java.util.List;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.SubProtocolCapable;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;

/**
 * Echoes text and binary messages. {@code whoami} answers the interceptor's user attribute,
 * {@code protocol} the negotiated sub-protocol, {@code close} closes with 4000.
 */
class EchoHandler extends AbstractWebSocketHandler implements SubProtocolCapable {

    @Override
    protected void handleTextMessage(WebSocketSession session, TextMessage message) throws Exception {
        switch (message.getPayload()) {
            case "whoami" -> session.sendMessage(new TextMessage("user=" + session.getAttributes().get("user")));
            case "protocol" -> session.sendMessage(new TextMessage("protocol=" + session.getAcceptedProtocol()));
            case "close" -> session.close(new CloseStatus(4000, "asked to"));
            default -> session.sendMessage(new TextMessage(message.getPayload()));
        }
    }

    @Override
    protected void handleBinaryMessage(WebSocketSession session, BinaryMessage message) throws Exception {
        session.sendMessage(new BinaryMessage(message.getPayload()));
    }

    @Override
    public List<String> getSubProtocols() {
        return List.of("v2.echo", "v1.echo");
    }
}
