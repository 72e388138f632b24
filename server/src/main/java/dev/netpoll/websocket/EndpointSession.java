package dev.netpoll.websocket;

import jakarta.websocket.CloseReason;
import jakarta.websocket.DecodeException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.Extension;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.PongMessage;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.Session;
import jakarta.websocket.WebSocketContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Collections;
import java.util.HashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A Jakarta WebSocket session of a programmatic endpoint ({@code Endpoint} subclass, no encoders
 * or decoders), served without Tyrus: Spring's WebSocket support (its handler adapter is such an
 * endpoint) and {@code ServerEndpointConfig}s take this path. Frames come from the
 * session's task through {@link InboundMessages}; messages go out on the sending thread through
 * {@link MessageSender}.
 *
 * <p>Closing, once (RFC 6455 section 7): whoever closes first (the application, the server's idle
 * sweep or shutdown, a protocol violation, or the client's close frame, which is answered with
 * its own code) sends the one close frame, unless the connection is already lost (1006); the
 * endpoint's {@code onClose} runs once, with the reason of that first close.
 *
 * <p>Threads: handlers and {@code onOpen} run on the session's task; sends, {@code close} and the
 * settings may come from any thread. {@code open}, {@code closeStarted} and {@code closeReported}
 * are atomic; the settings are volatile.
 */
final class EndpointSession implements Session, MessageLayer {

    private static final System.Logger LOG = System.getLogger(EndpointSession.class.getName());
    private static final AtomicLong IDS = new AtomicLong();
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final String id = Long.toHexString(IDS.incrementAndGet());
    private final NetpollServerContainer container;
    private final WebSocketSession socket;
    private final ServerEndpointConfig config;
    private final Endpoint endpoint;
    private final HandshakeDetails handshake;
    /** permessage-deflate state, or null when not negotiated. */
    private final MessageCompression compression;
    private final MessageSender sender;
    private final EndpointHandlers handlers = new EndpointHandlers();
    private final InboundMessages inbound;
    private final Map<String, Object> userProperties;
    private final BasicRemote basic;
    private final AsyncRemote async;
    private volatile boolean open = true;
    /** Set by whoever sends (or gives up sending) our close frame. */
    private final AtomicBoolean closeStarted = new AtomicBoolean();
    private final AtomicBoolean closeReported = new AtomicBoolean();
    /** Counted down once the first closer's close frame went out, failed or was not to be sent. */
    private final CountDownLatch closeDone = new CountDownLatch(1);
    /**
     * Held while the endpoint runs (onOpen, a handler, onError on the task; onClose on whichever
     * thread runs it): onClose never overlaps a handler, and no handler starts after it. Never
     * held across a send of our own, only across the application's code, and never waited for
     * by a closer (see {@link #owedClose}).
     */
    private final ReentrantLock dispatchLock = new ReentrantLock();
    /**
     * onClose's reason, reported and not yet run. A closer on another thread must not wait for
     * the task to leave a handler (two sessions' handlers closing each other would wait on each
     * other for ever), so it leaves the reason here and runs onClose only if it gets the dispatch
     * lock at once; the task, each time it lets go of that lock, runs what was left. The closer
     * publishes before it tries the lock and the task looks after it lets go, so one of them runs it.
     */
    private final AtomicReference<CloseReason> owedClose = new AtomicReference<>();
    private volatile long maxIdleTimeoutMillis;
    private volatile int maxTextMessageSize;
    private volatile int maxBinaryMessageSize;

    private EndpointSession(NetpollServerContainer container, WebSocketSession socket, SessionWriter writer,
            ServerEndpointConfig config, Endpoint endpoint, HandshakeDetails handshake, MessageCompression compression) {
        this.container = container;
        this.socket = socket;
        this.config = config;
        this.endpoint = endpoint;
        this.handshake = handshake;
        this.compression = compression;
        this.sender = new MessageSender(writer, compression);
        this.inbound = new InboundMessages(this, handlers, compression, socket.check);
        // Synchronised, not concurrent: applications store null values (an absent HTTP session).
        this.userProperties = Collections.synchronizedMap(new HashMap<>(handshake.userProperties()));
        this.basic = new BasicRemote(this, sender);
        this.async = new AsyncRemote(basic, sender, container.getDefaultAsyncSendTimeout());
        this.maxTextMessageSize = container.getDefaultMaxTextMessageBufferSize();
        this.maxBinaryMessageSize = container.getDefaultMaxBinaryMessageBufferSize();
    }

    /** Opens {@code endpoint} on the session's task once the 101 is out. */
    static MessageLayer.Opener opener(NetpollServerContainer container, ServerEndpointConfig config, Endpoint endpoint,
            HandshakeDetails handshake, MessageCompression compression) {
        return (writer, socket) -> {
            var session = new EndpointSession(container, socket, writer, config, endpoint, handshake, compression);
            long idle = container.getDefaultMaxSessionIdleTimeout();
            if (idle > 0) {
                session.setMaxIdleTimeout(idle);
            }
            session.dispatchLock.lock();
            try {
                endpoint.onOpen(session, config);
            } catch (RuntimeException e) {
                session.failed(e);
                session.close(new CloseReason(CloseReason.CloseCodes.UNEXPECTED_CONDITION, "the endpoint failed to open"));
            } finally {
                session.dispatchLock.unlock();
            }
            session.runOwedClose();
            return session;
        };
    }

    // MessageLayer, the session's task side

    @Override
    public void handle(ByteBuffer frames) {
        inbound.handle(frames);
    }

    /**
     * The first close wins: it sends the close frame and is the reason {@code onClose} reports.
     * 1006 and 1015 report a connection lost or a TLS failure and are never sent (section
     * 7.4.1): the connection is dropped at once, as no close frame could be answered.
     */
    @Override
    public void close(CloseReason reason) {
        open = false;
        if (!closeStarted.compareAndSet(false, true)) {
            return;
        }
        int code = reason.getCloseCode().getCode();
        try {
            if (code == 1006 || code == 1015) {
                socket.abort();
            } else {
                sendClose(code == 1005 ? EMPTY : closePayload(code, reason.getReasonPhrase()));
                socket.closing();
            }
        } finally {
            closeDone.countDown();
        }
        reportClose(reason);
    }

    @Override
    public void awaitCloseSent(long nanos) {
        try {
            closeDone.await(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The client's close frame: answered with its code unless we closed first (section 5.5.1). */
    void closeReceived(int code, String reason) {
        open = false;
        if (closeStarted.compareAndSet(false, true)) {
            try {
                sendClose(code == 1005 ? EMPTY : closePayload(code, ""));
                socket.closing();
            } finally {
                closeDone.countDown();
            }
            reportClose(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason));
        } else {
            socket.closing();
        }
    }

    private void sendClose(ByteBuffer payload) {
        try {
            sender.sendControl(MessageSender.CLOSE, payload);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "WebSocket " + socket.path() + ": close frame not sent: " + e);
        }
    }

    private static ByteBuffer closePayload(int code, String reason) {
        byte[] text = reason == null ? new byte[0] : reason.getBytes(StandardCharsets.UTF_8);
        // Section 5.5: a control frame's payload is at most 125 bytes, the code's two included.
        int length = Math.min(text.length, 123);
        while (length > 0 && length < text.length && (text[length] & 0xC0) == 0x80) {
            length--; // cut on a character boundary
        }
        return ByteBuffer.allocate(2 + length).putShort((short) code).put(text, 0, length).flip();
    }

    private void reportClose(CloseReason reason) {
        if (closeReported.compareAndSet(false, true)) {
            owedClose.set(reason);
            runOwedClose();
        }
    }

    /** Runs onClose if it is owed and the endpoint is not running on another thread; never waits. */
    private void runOwedClose() {
        if (owedClose.get() == null || !dispatchLock.tryLock()) {
            return;
        }
        try {
            CloseReason reason = owedClose.getAndSet(null);
            if (reason != null) {
                endpoint.onClose(this, reason);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "WebSocket endpoint on " + socket.path() + " failed in onClose", e);
        } finally {
            dispatchLock.unlock();
        }
    }

    void pinged(ByteBuffer payload) {
        if (!closeStarted.get()) {
            try {
                sender.sendControl(MessageSender.PONG, payload);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, () -> "WebSocket " + socket.path() + ": pong not sent: " + e);
            }
        }
    }

    void ponged(byte[] payload) {
        EndpointHandlers.Registered handler = handlers.pong();
        if (handler != null) {
            ByteBuffer data = ByteBuffer.wrap(payload);
            deliver(handler, (PongMessage) () -> data, true);
        }
    }

    /** Hands {@code message} to {@code handler} on the session's task; what it throws goes to onError. */
    @SuppressWarnings("unchecked")
    void deliver(EndpointHandlers.Registered handler, Object message, boolean last) {
        dispatchLock.lock();
        try {
            if (!open) {
                return; // closed (possibly by another thread) since the frame was read
            }
            if (handler.partial()) {
                ((MessageHandler.Partial<Object>) handler.handler()).onMessage(message, last);
            } else {
                ((MessageHandler.Whole<Object>) handler.handler()).onMessage(message);
            }
        } catch (RuntimeException | LinkageError | AssertionError e) {
            failed(e);
        } finally {
            dispatchLock.unlock();
        }
        runOwedClose();
    }

    void decodeFailed(DecodeException e) {
        dispatchLock.lock();
        try {
            if (open) {
                failed(e);
            }
        } finally {
            dispatchLock.unlock();
        }
        runOwedClose();
    }

    private void failed(Throwable e) {
        try {
            endpoint.onError(this, e);
        } catch (RuntimeException again) {
            again.addSuppressed(e);
            LOG.log(System.Logger.Level.WARNING, "WebSocket endpoint on " + socket.path() + " failed in onError", again);
        }
    }

    void checkOpen() {
        if (!open) {
            throw new IllegalStateException("the WebSocket session " + id + " is closed");
        }
    }

    // jakarta.websocket.Session

    @Override
    public WebSocketContainer getContainer() {
        return container;
    }

    @Override
    public void addMessageHandler(MessageHandler handler) {
        handlers.add(handler);
    }

    @Override
    public <T> void addMessageHandler(Class<T> type, MessageHandler.Whole<T> handler) {
        handlers.add(handler, type, false);
    }

    @Override
    public <T> void addMessageHandler(Class<T> type, MessageHandler.Partial<T> handler) {
        handlers.add(handler, type, true);
    }

    @Override
    public Set<MessageHandler> getMessageHandlers() {
        return handlers.all();
    }

    @Override
    public void removeMessageHandler(MessageHandler handler) {
        handlers.remove(handler);
    }

    @Override
    public String getProtocolVersion() {
        return "13";
    }

    @Override
    public String getNegotiatedSubprotocol() {
        return handshake.subprotocol();
    }

    @Override
    public List<Extension> getNegotiatedExtensions() {
        return compression == null ? List.of() : List.of(NetpollServerContainer.DEFLATE);
    }

    @Override
    public boolean isSecure() {
        return handshake.secure();
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public long getMaxIdleTimeout() {
        return maxIdleTimeoutMillis;
    }

    @Override
    public void setMaxIdleTimeout(long milliseconds) {
        maxIdleTimeoutMillis = milliseconds;
        socket.applicationIdleTimeout(milliseconds > 0 ? TimeUnit.MILLISECONDS.toNanos(milliseconds) : 0);
    }

    @Override
    public void setMaxBinaryMessageBufferSize(int length) {
        maxBinaryMessageSize = length;
        limitsChanged();
    }

    @Override
    public int getMaxBinaryMessageBufferSize() {
        return maxBinaryMessageSize;
    }

    @Override
    public void setMaxTextMessageBufferSize(int length) {
        maxTextMessageSize = length;
        limitsChanged();
    }

    @Override
    public int getMaxTextMessageBufferSize() {
        return maxTextMessageSize;
    }

    private void limitsChanged() {
        socket.check.limits(maxTextMessageSize, maxBinaryMessageSize);
        if (compression != null) {
            compression.limits(maxTextMessageSize, maxBinaryMessageSize);
        }
    }

    @Override
    public RemoteEndpoint.Async getAsyncRemote() {
        return async;
    }

    @Override
    public RemoteEndpoint.Basic getBasicRemote() {
        return basic;
    }

    @Override
    public String getId() {
        return id;
    }

    @Override
    public void close() {
        close(new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, ""));
    }

    @Override
    public URI getRequestURI() {
        return handshake.requestUri();
    }

    @Override
    public Map<String, List<String>> getRequestParameterMap() {
        return handshake.parameters();
    }

    @Override
    public String getQueryString() {
        return handshake.queryString();
    }

    @Override
    public Map<String, String> getPathParameters() {
        return handshake.pathParameters();
    }

    @Override
    public Map<String, Object> getUserProperties() {
        return userProperties;
    }

    @Override
    public Principal getUserPrincipal() {
        return handshake.principal();
    }

    /** The open sessions of the same endpoint (same class and path), this one included. */
    @Override
    public Set<Session> getOpenSessions() {
        Set<Session> same = new HashSet<>();
        if (open) {
            same.add(this); // also while onOpen runs, before the session is listed
        }
        for (WebSocketSession each : container.sessions()) {
            if (each.layer() instanceof EndpointSession other && other.open
                    && other.config.getEndpointClass() == config.getEndpointClass()
                    && other.config.getPath().equals(config.getPath())) {
                same.add(other);
            }
        }
        return same;
    }

    @Override
    public String toString() {
        return "WebSocket session " + id + " on " + socket.path();
    }
}
