package dev.netpoll.websocket;

import org.junit.jupiter.api.BeforeAll;

/** {@link WebSocketProtocolTest} on the nio transport. */
class WebSocketProtocolOnNioTest extends WebSocketProtocolTest {

    @BeforeAll
    static void start() throws Exception {
        server = WebSocketServer.start("nio", WebSocketServer.smallLimits());
    }
}
