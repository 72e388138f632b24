package dev.netpoll.websocket;

import jakarta.websocket.CloseReason;
import java.nio.ByteBuffer;
import org.glassfish.tyrus.spi.Connection;
import org.glassfish.tyrus.spi.WebSocketEngine;

/** A session whose messages Tyrus assembles and dispatches (annotated endpoints, coders). */
record TyrusLayer(Connection connection) implements MessageLayer {

    /** Opens the endpoint of Tyrus' {@code upgrade} on the session's task. */
    static MessageLayer.Opener of(WebSocketEngine.UpgradeInfo upgrade) {
        return (writer, session) -> new TyrusLayer(upgrade.createConnection(writer, reason -> session.closing()));
    }

    @Override
    public void handle(ByteBuffer frames) {
        connection.getReadHandler().handle(frames);
    }

    @Override
    public void close(CloseReason reason) {
        connection.close(reason);
    }
}
