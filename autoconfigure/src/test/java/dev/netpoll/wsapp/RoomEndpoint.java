package dev.netpoll.wsapp;

import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.PathParam;
import jakarta.websocket.server.ServerEndpoint;
import java.io.IOException;

/** A plain Jakarta endpoint with a path template: answers each message prefixed with its room. */
@ServerEndpoint("/rooms/{room}")
public class RoomEndpoint {

    @OnOpen
    public void open(Session session, @PathParam("room") String room) throws IOException {
        session.getBasicRemote().sendText("welcome to " + room);
    }

    @OnMessage
    public String message(String text, @PathParam("room") String room) {
        return room + ": " + text;
    }
}
