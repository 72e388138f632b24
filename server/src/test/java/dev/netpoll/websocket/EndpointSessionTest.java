package dev.netpoll.websocket;

import static dev.netpoll.websocket.RawClient.BINARY;
import static dev.netpoll.websocket.RawClient.CLOSE;
import static dev.netpoll.websocket.RawClient.CONTINUATION;
import static dev.netpoll.websocket.RawClient.TEXT;
import static dev.netpoll.websocket.RawClient.frame;
import static dev.netpoll.websocket.WebSocketServer.send;
import static org.assertj.core.api.Assertions.assertThat;

import jakarta.websocket.CloseReason;
import jakarta.websocket.EncodeException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The container's own {@code jakarta.websocket.Session} (what programmatic endpoints and Spring's
 * handler adapter get), over a real socket with hand-made frames: partial and typed message
 * handlers, message streams, the session's handshake details, its own idle timeout, the
 * asynchronous sender, and both sides of the closing handshake as the endpoint sees them.
 */
class EndpointSessionTest {

    static WebSocketServer server;
    /**
     * What the endpoints' onClose saw, in order, each entry prefixed with its session's query
     * string: sessions of earlier tests may still report (a client that just dropped its socket).
     */
    static final BlockingQueue<String> CLOSES = new LinkedBlockingQueue<>();
    /** How {@link Unread}'s sends ended. */
    static final BlockingQueue<String> FLOODS = new LinkedBlockingQueue<>();

    @BeforeAll
    static void start() throws Exception {
        server = WebSocketServer.start("epoll", new WebSocketSettings(1 << 20, 1 << 20, Duration.ZERO, 100,
                Duration.ofSeconds(10), Duration.ofSeconds(2)));
        for (var endpoint : List.of(ServerEndpointConfig.Builder.create(Parts.class, "/parts").build(),
                ServerEndpointConfig.Builder.create(Numbers.class, "/numbers").build(),
                ServerEndpointConfig.Builder.create(Streams.class, "/streams").build(),
                ServerEndpointConfig.Builder.create(Details.class, "/rooms/{room}").subprotocols(List.of("chat")).build(),
                ServerEndpointConfig.Builder.create(Closer.class, "/closer").build(),
                ServerEndpointConfig.Builder.create(Impatient.class, "/impatient").build(),
                ServerEndpointConfig.Builder.create(Closer.class, "/nullable").configurator(new NullProperty()).build(),
                ServerEndpointConfig.Builder.create(Mutual.class, "/mutual").build(),
                ServerEndpointConfig.Builder.create(Unread.class, "/unread").build())) {
            server.container.addEndpoint(endpoint);
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static RawClient open(String path) throws Exception {
        return open(path, "");
    }

    static RawClient open(String path, String headers) throws Exception {
        RawClient client = RawClient.connect(server.port(), path, headers, new byte[0]);
        assertThat(client.handshakeResponse).startsWith("HTTP/1.1 101 ");
        client.socket.setSoTimeout(5000);
        return client;
    }

    @Test
    void partialTextHandlerGetsWholeCharactersInEachPart() throws Exception {
        byte[] e = "é".getBytes(StandardCharsets.UTF_8);
        try (RawClient client = open("/parts")) {
            // The two bytes of "é" straddle the frames: the first part must end before it.
            client.send(frame(false, TEXT, new byte[] {'h', e[0]}));
            assertThat(client.read().text()).isEqualTo("h|false");
            client.send(frame(false, CONTINUATION, new byte[0]), frame(true, CONTINUATION, new byte[] {e[1], 'l', 'o'}));
            assertThat(client.read().text()).isEqualTo("|false");
            assertThat(client.read().text()).isEqualTo("élo|true");
        }
    }

    @Test
    void primitiveHandlerDecodesTextAndReportsWhatIsNotANumberToOnError() throws Exception {
        try (RawClient client = open("/numbers")) {
            client.send(RawClient.text("21"));
            assertThat(client.read().text()).isEqualTo("42");
            client.send(RawClient.text("twenty-one"));
            assertThat(client.read().text()).isEqualTo("error: DecodeException");
            client.send(RawClient.text("1"));
            assertThat(client.read().text()).isEqualTo("2");
        }
    }

    @Test
    void messageWithoutAHandlerIsRefusedWith1003() throws Exception {
        try (RawClient client = open("/numbers")) {
            client.send(frame(true, BINARY, new byte[] {1, 2, 3}));
            assertThat(client.readClose().closeCode()).isEqualTo(1003);
            assertThat(client.serverClosedConnection()).isTrue();
        }
    }

    @Test
    void messageOverSixtyFourKilobytesUsesTheLongLengthBothWays() throws Exception {
        byte[] big = new byte[70_000];
        new java.util.Random(7).nextBytes(big);
        try (RawClient client = open("/echo")) {
            client.send(frame(true, BINARY, big));
            RawClient.Frame echo = client.read();
            assertThat(echo.opcode()).isEqualTo(BINARY);
            assertThat(echo.payload()).isEqualTo(big);
        }
    }

    @Test
    void sendStreamAndWriterGoOutAsFragmentedMessages() throws Exception {
        try (RawClient client = open("/streams")) {
            client.send(RawClient.text("stream 20000"));
            ByteArrayOutputStream bytes = readFragmented(client, BINARY);
            assertThat(bytes.size()).isEqualTo(20_000);
            client.send(RawClient.text("writer 20000"));
            ByteArrayOutputStream text = readFragmented(client, TEXT);
            String received = text.toString(StandardCharsets.UTF_8);
            assertThat(received).hasSize(20_000).matches("(€)+");
            client.send(RawClient.text("pair 0"));
            assertThat(readFragmented(client, TEXT).toString(StandardCharsets.UTF_8)).isEqualTo("a\uD83D\uDE00b");
        }
    }

    /** Reads one message that must come in more than one frame. */
    private static ByteArrayOutputStream readFragmented(RawClient client, int opcode) throws IOException {
        var all = new ByteArrayOutputStream();
        RawClient.Frame first = client.read();
        assertThat(first.opcode()).isEqualTo(opcode);
        assertThat(first.fin()).isFalse();
        all.writeBytes(first.payload());
        for (RawClient.Frame next = client.read(); ; next = client.read()) {
            assertThat(next.opcode()).isEqualTo(CONTINUATION);
            all.writeBytes(next.payload());
            if (next.fin()) {
                return all;
            }
        }
    }

    @Test
    void sessionKnowsItsHandshake() throws Exception {
        try (RawClient client = open("/rooms/kitchen?x=1&x=2", "Sec-WebSocket-Protocol: other, chat\r\n")) {
            assertThat(client.handshakeResponse).containsIgnoringCase("sec-websocket-protocol: chat");
            client.send(RawClient.text("?"));
            assertThat(client.read().text()).matches("ws://localhost(:[0-9]+)?/rooms/kitchen\\?x=1&x=2"
                    + "\\|x=1&x=2\\|kitchen\\|\\[1, 2]\\|chat\\|1\\|13\\|true");
            try (RawClient second = open("/rooms/hall")) {
                second.send(RawClient.text("?"));
                assertThat(second.read().text()).endsWith("|2|13|true");
            }
        }
    }

    @Test
    void applicationCloseSendsItsCodeAndOnCloseRunsOnce() throws Exception {
        try (RawClient client = open("/closer?app-close")) {
            client.send(RawClient.text("close"));
            RawClient.Frame close = client.readClose();
            assertThat(close.closeCode()).isEqualTo(4000);
            assertThat(new String(close.payload(), 2, close.payload().length - 2, StandardCharsets.UTF_8)).isEqualTo("custom");
            client.send(RawClient.close(4000, ""));
            assertThat(client.serverClosedConnection()).isTrue();
        }
        assertThat(nextClose("app-close", 5000)).isEqualTo("4000 custom");
        assertThat(nextClose("app-close", 300)).isNull();
    }

    @Test
    void noHandlerRunsAfterTheEndpointClosedTheSession() throws Exception {
        try (RawClient client = open("/closer?pipelined")) {
            // Both in one read: the second message is behind the close the first one causes.
            client.send(RawClient.text("close"), RawClient.text("async"));
            assertThat(client.readClose().closeCode()).isEqualTo(4000);
            client.send(RawClient.close(4000, ""));
            assertThat(client.serverClosedConnection()).isTrue();
        }
        assertThat(nextClose("pipelined", 5000)).isEqualTo("4000 custom");
        assertThat(nextClose("pipelined", 300)).isNull();
    }

    @Test
    void clientThatKeepsSendingAfterOurCloseIsCutOffAtTheCloseTimeout() throws Exception {
        try (RawClient client = open("/closer?flood")) {
            client.send(RawClient.text("close"));
            assertThat(client.readClose().closeCode()).isEqualTo(4000);
            // Never answers our close: keeps the server's reads full instead.
            byte[] frame = frame(true, BINARY, new byte[4096]);
            long start = System.nanoTime();
            boolean cut = false;
            while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10)) {
                try {
                    client.send(frame, frame, frame, frame);
                } catch (IOException e) {
                    cut = true; // reset or broken pipe: the server closed the connection
                    break;
                }
            }
            assertThat(cut).as("the server closed the connection").isTrue();
            // The close timeout is 2 s here.
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void twoSessionsWhoseHandlersCloseEachOtherAtOnceBothClose() throws Exception {
        try (RawClient a = open("/mutual?a"); RawClient b = open("/mutual?b")) {
            // Each handler waits for the other to be inside its own handler, then closes the other session.
            a.send(RawClient.text("b"));
            b.send(RawClient.text("a"));
            assertThat(a.readClose().closeCode()).isEqualTo(4001);
            assertThat(b.readClose().closeCode()).isEqualTo(4001);
            assertThat(nextClose("a", 5000)).isEqualTo("4001 by peer");
            assertThat(nextClose("b", 5000)).isEqualTo("4001 by peer");
            a.send(RawClient.close(4001, ""));
            b.send(RawClient.close(4001, ""));
            assertThat(a.serverClosedConnection()).isTrue();
            assertThat(b.serverClosedConnection()).isTrue();
        }
    }

    @Test
    void registeredCloseCodesPastTheRfcReachOnClose() throws Exception {
        try (RawClient client = open("/closer?code-1014")) {
            client.send(RawClient.close(1014, "bad gateway"));
            assertThat(client.readClose().closeCode()).isEqualTo(1014);
            assertThat(client.serverClosedConnection()).isTrue();
        }
        assertThat(nextClose("code-1014", 5000)).isEqualTo("1014 bad gateway");
    }

    @Test
    void endpointClosingAsAbnormalDropsTheConnectionAtOnce() throws Exception {
        try (RawClient client = open("/closer?abort")) {
            long start = System.nanoTime();
            client.send(RawClient.text("abort"));
            // No close frame can be answered: the connection ends without one, well before the close timeout.
            assertThat(client.serverClosedConnection()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));
        }
        assertThat(nextClose("abort", 5000)).isEqualTo("1006 gone");
    }

    @Test
    void handshakeMayLeaveANullUserProperty() throws Exception {
        try (RawClient client = open("/nullable")) {
            client.send(RawClient.text("async"));
            assertThat(client.read().text()).isEqualTo("by handler");
        }
    }

    @Test
    void clientCloseWithoutACodeIsAnsweredWithoutOneAndReportedAs1005() throws Exception {
        try (RawClient client = open("/closer?no-code")) {
            client.send(frame(true, CLOSE, new byte[0]));
            RawClient.Frame close = client.readClose();
            assertThat(close.payload()).isEmpty();
            assertThat(client.serverClosedConnection()).isTrue();
        }
        assertThat(nextClose("no-code", 5000)).isEqualTo("1005 ");
    }

    @Test
    void closeFrameWithAOneBytePayloadIsAProtocolError() throws Exception {
        try (RawClient client = open("/closer?one-byte")) {
            client.send(frame(true, CLOSE, new byte[] {3}));
            assertThat(client.readClose().closeCode()).isEqualTo(1002);
        }
    }

    @Test
    void asyncSendsAndSendObjectReportTheirOutcome() throws Exception {
        try (RawClient client = open("/closer?async")) {
            client.send(RawClient.text("async"));
            assertThat(client.read().text()).isEqualTo("by handler");
            assertThat(client.read().text()).isEqualTo("by future");
            assertThat(client.read().text()).isEqualTo("7");
            assertThat(client.read().text()).isEqualTo("no encoder: EncodeException");
        }
    }

    /**
     * The asynchronous sender's send timeout bounds a send to a client that stops reading, well
     * before the server's write timeout (10 s here) would.
     */
    @Test
    void anAsyncSendToAClientThatDoesNotReadFailsAtItsSendTimeout() throws Exception {
        try (RawClient client = open("/unread")) {
            client.send(RawClient.text("300"));
            String outcome = FLOODS.poll(8, TimeUnit.SECONDS);
            assertThat(outcome).as("no send failed before the write timeout").isNotNull();
            assertThat(outcome).startsWith("SocketTimeoutException after ");
            long millis = Long.parseLong(outcome.substring(outcome.lastIndexOf(' ') + 1));
            assertThat(millis).as("the failed send's duration").isBetween(250L, 5_000L);
        }
    }

    @Test
    void endpointsOwnIdleTimeoutClosesTheSession() throws Exception {
        try (RawClient client = open("/impatient")) {
            long start = System.nanoTime();
            RawClient.Frame close = client.readClose();
            assertThat(close.closeCode()).isEqualTo(1001);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
        }
    }

    /** Reports taken from {@link #CLOSES} while waiting for another session's; test thread only. */
    private static final List<String> SET_ASIDE = new java.util.ArrayList<>();

    /** The next close report of the session opened with query {@code id}, or null after {@code millis}. */
    private static String nextClose(String id, long millis) throws InterruptedException {
        String prefix = id + ": ";
        for (var it = SET_ASIDE.iterator(); it.hasNext(); ) {
            String report = it.next();
            if (report.startsWith(prefix)) {
                it.remove();
                return report.substring(prefix.length());
            }
        }
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        for (long left = millis; left > 0; left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())) {
            String report = CLOSES.poll(left, TimeUnit.MILLISECONDS);
            if (report != null && report.startsWith(prefix)) {
                return report.substring(prefix.length());
            }
            if (report != null) {
                SET_ASIDE.add(report);
            }
        }
        return null;
    }

    /** Echoes each part of a text message as "text|last". */
    public static final class Parts extends Endpoint {
        @Override
        public void onOpen(Session session, EndpointConfig config) {
            session.addMessageHandler(new MessageHandler.Partial<String>() {
                @Override
                public void onMessage(String part, boolean last) {
                    send(() -> session.getBasicRemote().sendText(part + "|" + last));
                }
            });
        }
    }

    /** Doubles numbers (a Whole&lt;Integer&gt; found by reflection); takes no binary messages. */
    public static final class Numbers extends Endpoint {
        @Override
        public void onOpen(Session session, EndpointConfig config) {
            session.addMessageHandler(new MessageHandler.Whole<Integer>() {
                @Override
                public void onMessage(Integer n) {
                    send(() -> session.getBasicRemote().sendText(Integer.toString(n * 2)));
                }
            });
        }

        @Override
        public void onError(Session session, Throwable failure) {
            send(() -> session.getBasicRemote().sendText("error: " + failure.getClass().getSimpleName()));
        }
    }

    /** "stream N" answers N bytes through getSendStream, "writer N" N euro signs through getSendWriter. */
    public static final class Streams extends Endpoint {
        @Override
        public void onOpen(Session session, EndpointConfig config) {
            session.addMessageHandler(String.class, command -> send(() -> {
                int n = Integer.parseInt(command.substring(command.indexOf(' ') + 1));
                if (command.startsWith("pair")) {
                    // The pair of U+1F600 straddles the parts.
                    session.getBasicRemote().sendText("a\uD83D", false);
                    session.getBasicRemote().sendText("\uDE00b", true);
                } else if (command.startsWith("stream")) {
                    try (OutputStream out = session.getBasicRemote().getSendStream()) {
                        for (int i = 0; i < n; i++) {
                            out.write(i);
                        }
                    }
                } else {
                    try (Writer out = session.getBasicRemote().getSendWriter()) {
                        for (int i = 0; i < n; i++) {
                            out.write('€');
                        }
                    }
                }
            }));
        }
    }

    /** Answers any message with what the session knows of its handshake. */
    public static final class Details extends Endpoint {
        @Override
        public void onOpen(Session session, EndpointConfig config) {
            session.addMessageHandler(String.class, ignored -> send(() -> session.getBasicRemote().sendText(
                    session.getRequestURI() + "|" + session.getQueryString() + "|" + session.getPathParameters().get("room")
                            + "|" + session.getRequestParameterMap().get("x") + "|" + session.getNegotiatedSubprotocol()
                            + "|" + session.getOpenSessions().size() + "|" + session.getProtocolVersion()
                            + "|" + session.getUserProperties().get("listed at open"))));
            session.getUserProperties().put("listed at open", session.getOpenSessions().contains(session));
        }
    }

    /**
     * Sets the asynchronous send timeout to the milliseconds it is sent, then sends 64 KiB
     * messages to a client that reads none until one fails, and reports how and after how long.
     */
    public static final class Unread extends Endpoint {
        @Override
        public void onOpen(Session session, EndpointConfig config) {
            session.addMessageHandler(String.class, timeout -> {
                var async = session.getAsyncRemote();
                async.setSendTimeout(Long.parseLong(timeout));
                var chunk = ByteBuffer.allocate(64 * 1024);
                for (int i = 0; i < 10_000; i++) {
                    long start = System.nanoTime();
                    try {
                        async.sendBinary(chunk.duplicate()).get();
                    } catch (java.util.concurrent.ExecutionException e) {
                        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                        Throwable cause = e.getCause();
                        // DeadlineExceededException and the rest: SocketTimeoutException is the contract
                        String kind = cause instanceof java.net.SocketTimeoutException
                                ? "SocketTimeoutException" : cause.toString();
                        FLOODS.add(kind + " after " + millis);
                        return;
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                FLOODS.add("every send went out");
            });
        }
    }

    /** "close" closes with 4000; "async" tries the asynchronous sender; onClose is recorded. */
    public static final class Closer extends Endpoint {
        @Override
        public void onOpen(Session session, EndpointConfig config) {
            session.addMessageHandler(String.class, command -> send(() -> {
                if (!session.isOpen()) {
                    CLOSES.add(session.getQueryString() + ": message after close: " + command);
                }
                if (command.equals("abort")) {
                    session.close(new CloseReason(CloseReason.CloseCodes.CLOSED_ABNORMALLY, "gone"));
                    return;
                }
                if (command.equals("close")) {
                    session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(4000), "custom"));
                    session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(4001), "again"));
                    return;
                }
                var async = session.getAsyncRemote();
                async.sendText("by handler", result -> {
                    if (!result.isOK()) {
                        throw new AssertionError(result.getException());
                    }
                });
                try {
                    async.sendText("by future").get(5, TimeUnit.SECONDS);
                    async.sendObject(7).get(5, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
                try {
                    session.getBasicRemote().sendObject(new Object());
                } catch (EncodeException e) {
                    session.getBasicRemote().sendText("no encoder: " + e.getClass().getSimpleName());
                }
            }));
        }

        @Override
        public void onClose(Session session, CloseReason reason) {
            CLOSES.add(session.getQueryString() + ": " + reason.getCloseCode().getCode() + " " + reason.getReasonPhrase());
        }
    }

    /**
     * Sessions named by their query; a message names another, and the handler closes it once
     * both handlers are running (two users' sessions kicking each other at the same moment).
     */
    public static final class Mutual extends Endpoint {
        static final java.util.Map<String, Session> BY_NAME = new java.util.concurrent.ConcurrentHashMap<>();
        static final java.util.concurrent.CyclicBarrier BOTH_IN_HANDLERS = new java.util.concurrent.CyclicBarrier(2);

        @Override
        public void onOpen(Session session, EndpointConfig config) {
            BY_NAME.put(session.getQueryString(), session);
            session.addMessageHandler(String.class, other -> send(() -> {
                try {
                    BOTH_IN_HANDLERS.await(5, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
                BY_NAME.get(other).close(new CloseReason(CloseReason.CloseCodes.getCloseCode(4001), "by peer"));
            }));
        }

        @Override
        public void onClose(Session session, CloseReason reason) {
            CLOSES.add(session.getQueryString() + ": " + reason.getCloseCode().getCode() + " " + reason.getReasonPhrase());
        }
    }

    /** A configurator that stores null, as one storing an absent HTTP session does. */
    public static final class NullProperty extends ServerEndpointConfig.Configurator {
        @Override
        public void modifyHandshake(ServerEndpointConfig sec, jakarta.websocket.server.HandshakeRequest request,
                jakarta.websocket.HandshakeResponse response) {
            sec.getUserProperties().put("httpSession", request.getHttpSession());
        }
    }

    /** Sets an idle timeout of its own, far below the server's (none here). */
    public static final class Impatient extends Endpoint {
        @Override
        public void onOpen(Session session, EndpointConfig config) {
            session.setMaxIdleTimeout(300);
        }
    }
}
