package dev.netpoll.websocket;

import dev.netpoll.http.HttpConfig;
import dev.netpoll.http.HttpServer;
import dev.netpoll.poll.Transport;
import dev.netpoll.servlet.NetpollServletContext;
import dev.netpoll.servlet.ServletHandler;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * A servlet context with the WebSocket container and an echo endpoint at {@code /echo}, served on
 * a loopback port; {@link #close()} stops it. Owned by the test thread.
 */
final class WebSocketServer implements AutoCloseable {

    final NetpollServletContext context;
    final NetpollServerContainer container;
    final HttpServer server;

    private WebSocketServer(NetpollServletContext context, NetpollServerContainer container, HttpServer server) {
        this.context = context;
        this.container = container;
        this.server = server;
    }

    static WebSocketServer start(String transport, WebSocketSettings settings) throws Exception {
        return start(transport, settings, null);
    }

    /** Serves over TLS with {@code tls} (wss), or cleartext when it is null. */
    static WebSocketServer start(String transport, WebSocketSettings settings, dev.netpoll.tls.TlsContext tls)
            throws Exception {
        return start(transport, settings, tls, HttpConfig.DEFAULTS);
    }

    static WebSocketServer start(String transport, WebSocketSettings settings, dev.netpoll.tls.TlsContext tls,
            HttpConfig http) throws Exception {
        var context = new NetpollServletContext("", WebSocketServer.class.getClassLoader());
        var container = NetpollServerContainer.install(context, settings);
        container.addEndpoint(ServerEndpointConfig.Builder.create(Echo.class, "/echo").build());
        container.addEndpoint(ServerEndpointConfig.Builder.create(Flood.class, "/flood").build());
        container.addEndpoint(ServerEndpointConfig.Builder.create(Audience.class, "/audience").build());
        // Filters run only for a mapped path, as for any request: the endpoint filter needs a servlet behind it.
        context.addDefaultServlet();
        context.start();
        var server = new HttpServer(http, new ServletHandler(context), Transport.open(transport, 1));
        server.setTls(tls);
        server.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return new WebSocketServer(context, container, server);
    }

    /** Small limits, so that the size tests need not send megabytes. */
    static WebSocketSettings smallLimits() {
        return new WebSocketSettings(1024, 1024, Duration.ZERO, 10_000, Duration.ofSeconds(10), Duration.ofSeconds(2));
    }

    int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
        context.stop();
        container.shutdown();
    }

    /**
     * On a text message {@code n}, sends {@code 0 .. n-1} from a thread of its own, as an
     * application pushing to a client does; stops at the first failed send (session closed).
     */
    public static final class Flood extends Endpoint {

        @Override
        public void onOpen(Session session, EndpointConfig config) {
            session.addMessageHandler(String.class, text -> Thread.ofPlatform().start(() -> {
                for (int i = 0; i < Integer.parseInt(text); i++) {
                    try {
                        session.getBasicRemote().sendText(Integer.toString(i));
                    } catch (IOException | IllegalStateException e) {
                        return;
                    }
                }
            }));
        }
    }

    /** Joins every session to {@link #SESSIONS}, for a test to broadcast to from its own thread. */
    public static final class Audience extends Endpoint {

        static final java.util.Set<Session> SESSIONS = java.util.concurrent.ConcurrentHashMap.newKeySet();

        @Override
        public void onOpen(Session session, EndpointConfig config) {
            SESSIONS.add(session);
        }

        @Override
        public void onClose(Session session, jakarta.websocket.CloseReason reason) {
            SESSIONS.remove(session);
        }
    }

    /** Echoes whole text and binary messages. */
    public static final class Echo extends Endpoint {

        @Override
        public void onOpen(Session session, EndpointConfig config) {
            session.addMessageHandler(String.class, text -> send(() -> session.getBasicRemote().sendText(text)));
            session.addMessageHandler(ByteBuffer.class, (MessageHandler.Whole<ByteBuffer>) bytes ->
                    send(() -> session.getBasicRemote().sendBinary(bytes)));
        }

    }

    /** A send from a message handler, which may not throw IOException. */
    interface Send {
        void run() throws IOException;
    }

    /** Runs {@code send}, its IOException rethrown unchecked (the endpoint's onError gets it). */
    static void send(Send send) {
        try {
            send.run();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
