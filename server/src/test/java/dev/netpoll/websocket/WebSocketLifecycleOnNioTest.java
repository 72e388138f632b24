package dev.netpoll.websocket;

/** {@link WebSocketLifecycleTest} on the nio transport. */
class WebSocketLifecycleOnNioTest extends WebSocketLifecycleTest {

    @Override
    String transport() {
        return "nio";
    }
}
