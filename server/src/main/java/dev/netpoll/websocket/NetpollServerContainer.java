package dev.netpoll.websocket;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.Extension;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.atomic.AtomicInteger;
import org.glassfish.tyrus.core.BaseContainer;
import org.glassfish.tyrus.core.TyrusWebSocketEngine;

/**
 * The {@code jakarta.websocket.server.ServerContainer} of one servlet context (Jakarta WebSocket
 * 2.2 section 6.4): endpoints added by {@code @ServerEndpoint} scanning or
 * {@code ServerEndpointExporter} are served through {@link EndpointFilter}; Spring's handshake
 * handler upgrades its own requests through {@link #upgradeHttpToWebSocket}.
 *
 * <p>Spring passes a fresh endpoint configuration with every handshake, so each such upgrade gets
 * an engine of its own holding just that endpoint (Tyrus matches a request against registered
 * endpoints only); added endpoints share one engine. Tyrus' executors (for streamed
 * {@code Reader}/{@code InputStream} messages and its own timeouts) are virtual-thread
 * executors, made on first use: no platform thread is started for WebSocket.
 *
 * <p>Thread-safe: sessions are added and removed by their tasks, read by metrics and the runtime
 * view; the settable defaults are volatile.
 */
public final class NetpollServerContainer extends BaseContainer implements ServerContainer {

    /** The servlet-context attribute Jakarta WebSocket 2.2 section 6.4 names. */
    public static final String ATTRIBUTE = "jakarta.websocket.server.ServerContainer";

    /** The one permessage-deflate instance every endpoint negotiates; its state is per session. */
    static final PerMessageDeflate DEFLATE = new PerMessageDeflate();

    private final String contextPath;
    private final WebSocketSettings settings;
    private final TyrusWebSocketEngine endpoints;
    private final Set<WebSocketSession> sessions = ConcurrentHashMap.newKeySet();
    /**
     * Session slots taken: reserved by a handshake before its 101, freed when the session ends or
     * the upgrade is dropped, so that concurrent handshakes cannot pass the limit together.
     */
    private final AtomicInteger slots = new AtomicInteger();
    private volatile boolean hasEndpoints;
    /** Guards starting the idle sweep and {@code sweepPeriodNanos}. */
    private final ReentrantLock sweepLock = new ReentrantLock();
    /** The shortest period the sweep runs at so far; Long.MAX_VALUE before it starts. Guarded by sweepLock. */
    private long sweepPeriodNanos = Long.MAX_VALUE;
    /** The sweep's schedule, replaced when a shorter period is needed. Guarded by sweepLock. */
    private java.util.concurrent.ScheduledFuture<?> sweep;
    private volatile long asyncSendTimeout = -1;
    private volatile long defaultMaxSessionIdleTimeout;
    private volatile int maxBinaryMessageSize;
    private volatile int maxTextMessageSize;
    private volatile ExecutorService executor;
    private volatile ScheduledExecutorService scheduler;
    /**
     * The idle sweep's own timer, apart from Tyrus' (application heartbeats): a timer task blocked
     * in a send for up to the write timeout must not stall the closing of every idle session.
     * Made with the first session that has an idle timeout (the server's or the endpoint's);
     * stopped by {@link #shutdown}.
     */
    private volatile ScheduledExecutorService sweeper;

    NetpollServerContainer(String contextPath, WebSocketSettings settings) {
        this.contextPath = contextPath;
        this.settings = settings;
        this.maxTextMessageSize = settings.maxTextMessageSize();
        this.maxBinaryMessageSize = settings.maxBinaryMessageSize();
        this.endpoints = engine();
    }

    /**
     * Makes a container for {@code context}, sets it as the context attribute and maps its
     * endpoint filter before any application filter; call while the context is being set up,
     * before Spring's initializers run (ServerEndpointExporter looks for it in its own start-up).
     */
    public static NetpollServerContainer install(ServletContext context, WebSocketSettings settings) {
        var container = new NetpollServerContainer(context.getContextPath(), settings);
        context.setAttribute(ATTRIBUTE, container);
        var filter = context.addFilter("netpollWebSocketEndpoints", new EndpointFilter(container));
        filter.setAsyncSupported(true);
        filter.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
        // Added first, so destroyed last: the timers (idle sweep, Tyrus') must not outlive the
        // context and keep it and the application's class loader reachable.
        context.addListener(new StopWithContext(container));
        return container;
    }

    /** Stops the container's executors when its servlet context is destroyed. */
    private record StopWithContext(NetpollServerContainer container) implements ServletContextListener {

        @Override
        public void contextDestroyed(ServletContextEvent event) {
            container.shutdown();
        }
    }

    /** The container installed in {@code context}, or null. */
    public static NetpollServerContainer of(ServletContext context) {
        return context.getAttribute(ATTRIBUTE) instanceof NetpollServerContainer c ? c : null;
    }

    private TyrusWebSocketEngine engine() {
        // FrameCheck is the one size limit: it closes with 1009 on a frame over the session's
        // limit before Tyrus sees its header, so Tyrus' buffer holds at most one partial frame
        // plus the batch it is appended to. Tyrus' own cap must never bind: sized to the limit it
        // overflowed (1011) on legal frames sharing a read, and it would go stale when
        // setDefaultMax*BufferSize raises the limit after the engine is built. Tyrus allocates
        // by need, not by this cap.
        return TyrusWebSocketEngine.builder(this)
                .incomingBufferSize(Integer.MAX_VALUE / 2)
                .build();
    }

    WebSocketSettings settings() {
        return settings;
    }

    /** Sessions open now, for metrics and the runtime view. */
    public List<WebSocketSession> sessions() {
        return new ArrayList<>(sessions);
    }

    public int sessionCount() {
        return sessions.size();
    }

    /** Takes a session slot for a handshake; false when max-sessions are open or being opened. */
    boolean reserveSlot() {
        for (int taken = slots.get(); taken < settings.maxSessions(); taken = slots.get()) {
            if (slots.compareAndSet(taken, taken + 1)) {
                return true;
            }
        }
        return false;
    }

    /** Frees a slot taken by {@link #reserveSlot}: once per reservation. */
    void releaseSlot() {
        slots.decrementAndGet();
    }

    void opened(WebSocketSession session) {
        sessions.add(session);
        long idle = settings.idleTimeout().toNanos();
        if (idle > 0) {
            sweepFor(idle);
        }
    }

    /**
     * Makes sure the idle sweep runs often enough for an idle timeout of {@code timeoutNanos}:
     * a quarter of it, at least 10 ms. One sweep for all sessions rather than a timer each: a
     * session's own read cannot be woken early on every transport (see WebSocketSession), and a
     * sweep costs nothing per idle session. A shorter timeout (an endpoint's) replaces the
     * schedule with a faster one.
     */
    void sweepFor(long timeoutNanos) {
        long period = Math.max(timeoutNanos / 4, TimeUnit.MILLISECONDS.toNanos(10));
        sweepLock.lock();
        try {
            if (period >= sweepPeriodNanos) {
                return;
            }
            sweepPeriodNanos = period;
            ScheduledExecutorService timer = sweeper;
            if (timer == null) {
                timer = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("netpoll-ws-idle-sweep").factory());
                sweeper = timer;
            }
            if (sweep != null) {
                sweep.cancel(false);
            }
            sweep = timer.scheduleWithFixedDelay(this::sweepIdle, period, period, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the container shut down: no session outlives it
        } finally {
            sweepLock.unlock();
        }
    }

    /** The idle sweep's timer, or null before the first session (or without an idle timeout). */
    ScheduledExecutorService idleSweeper() {
        return sweeper;
    }

    private void sweepIdle() {
        long now = System.nanoTime();
        for (WebSocketSession session : sessions) {
            session.closeIfIdle(now);
        }
    }

    void closed(WebSocketSession session) {
        sessions.remove(session);
    }

    boolean hasEndpoints() {
        return hasEndpoints;
    }

    TyrusWebSocketEngine endpoints() {
        return endpoints;
    }

    String contextPath() {
        return contextPath;
    }

    @Override
    public void addEndpoint(Class<?> endpointClass) throws DeploymentException {
        endpoints.register(endpointClass, contextPath);
        hasEndpoints = true;
    }

    @Override
    public void addEndpoint(ServerEndpointConfig config) throws DeploymentException {
        // An added endpoint gets every installed extension, as on Tomcat.
        endpoints.register(withPath(config, config.getPath(), withDeflate(config.getExtensions()), null), contextPath);
        hasEndpoints = true;
    }

    /**
     * Jakarta WebSocket 2.1+: upgrades this request to a session of {@code config}'s endpoint,
     * whatever its path; Spring's {@code StandardWebSocketUpgradeStrategy} calls it after its own
     * checks (origin, sub-protocol, interceptors). The 101 goes out when the servlet returns.
     */
    @Override
    public void upgradeHttpToWebSocket(Object httpServletRequest, Object httpServletResponse,
            ServerEndpointConfig config, Map<String, String> pathParameters) throws IOException, DeploymentException {
        var request = (HttpServletRequest) httpServletRequest;
        var response = (HttpServletResponse) httpServletResponse;
        String path = expand(config.getPath(), pathParameters);
        TyrusWebSocketEngine engine = engine();
        // Spring lists the extensions its handshake handler chose: those only.
        engine.register(withPath(config, path, config.getExtensions(), pathParameters == null ? Map.of() : pathParameters), "");
        if (!ServletHandshake.upgrade(this, engine, path, request, response)) {
            throw new DeploymentException("the WebSocket handshake for " + path + " matched no endpoint");
        }
    }

    /** The path with each {@code {name}} segment replaced by its value. */
    private static String expand(String template, Map<String, String> values) {
        if (values == null || values.isEmpty() || template.indexOf('{') < 0) {
            return template;
        }
        var path = new StringBuilder();
        for (String segment : template.split("/", -1)) {
            if (!path.isEmpty() || template.startsWith("/")) {
                path.append('/');
            }
            if (segment.startsWith("{") && segment.endsWith("}")) {
                String value = values.get(segment.substring(1, segment.length() - 1));
                path.append(value == null ? segment : value);
            } else {
                path.append(segment);
            }
        }
        String result = path.toString();
        return result.startsWith("//") ? result.substring(1) : result;
    }

    /**
     * {@code config} answering to the concrete {@code path} (Tyrus parses the path as a template),
     * with extensions negotiated by the container: Spring lists the ones it chose as adapters of
     * its own, which carry no frame processing.
     */
    private static ServerEndpointConfig withPath(ServerEndpointConfig config, String path, List<Extension> extensions,
            Map<String, String> pathParameters) {
        ServerEndpointConfig copy = ServerEndpointConfig.Builder.create(config.getEndpointClass(), path)
                .configurator(new ContainerNegotiation(config, DEFLATE, pathParameters))
                .subprotocols(config.getSubprotocols())
                .extensions(extensions)
                .encoders(config.getEncoders())
                .decoders(config.getDecoders())
                .build();
        copy.getUserProperties().putAll(config.getUserProperties());
        return copy;
    }

    /** The container's extensions are every endpoint's, as Tomcat's are (Spring lists only what it chose). */
    private static List<Extension> withDeflate(List<Extension> configured) {
        if (configured.stream().anyMatch(PerMessageDeflate::is)) {
            return configured;
        }
        List<Extension> all = new ArrayList<>(configured);
        all.add(DEFLATE);
        return all;
    }

    @Override
    public long getDefaultAsyncSendTimeout() {
        return asyncSendTimeout;
    }

    @Override
    public void setAsyncSendTimeout(long timeoutmillis) {
        asyncSendTimeout = timeoutmillis;
    }

    @Override
    public long getDefaultMaxSessionIdleTimeout() {
        // The server's own idle timeout (server.netpoll.websocket.idle-timeout) runs on the
        // session's read deadline; this one is Tyrus', for applications that set it.
        return defaultMaxSessionIdleTimeout;
    }

    @Override
    public void setDefaultMaxSessionIdleTimeout(long timeout) {
        defaultMaxSessionIdleTimeout = timeout;
    }

    @Override
    public int getDefaultMaxBinaryMessageBufferSize() {
        return maxBinaryMessageSize;
    }

    @Override
    public void setDefaultMaxBinaryMessageBufferSize(int max) {
        maxBinaryMessageSize = max;
    }

    @Override
    public int getDefaultMaxTextMessageBufferSize() {
        return maxTextMessageSize;
    }

    @Override
    public void setDefaultMaxTextMessageBufferSize(int max) {
        maxTextMessageSize = max;
    }

    @Override
    public Set<Extension> getInstalledExtensions() {
        return Set.of(DEFLATE);
    }

    @Override
    public Session connectToServer(Object annotatedEndpointInstance, URI path) throws DeploymentException {
        throw clientUnsupported();
    }

    @Override
    public Session connectToServer(Class<?> annotatedEndpointClass, URI path) throws DeploymentException {
        throw clientUnsupported();
    }

    @Override
    public Session connectToServer(Endpoint endpointInstance, ClientEndpointConfig cec, URI path)
            throws DeploymentException {
        throw clientUnsupported();
    }

    @Override
    public Session connectToServer(Class<? extends Endpoint> endpointClass, ClientEndpointConfig cec, URI path)
            throws DeploymentException {
        throw clientUnsupported();
    }

    private static DeploymentException clientUnsupported() {
        return new DeploymentException("the server's WebSocket container does not open client connections;"
                + " use ContainerProvider.getWebSocketContainer() with a client implementation");
    }

    @Override
    public ExecutorService getExecutorService() {
        ExecutorService current = executor;
        if (current == null) {
            synchronized (this) {
                if (executor == null) {
                    executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("netpoll-ws-", 0).factory());
                }
                current = executor;
            }
        }
        return current;
    }

    @Override
    public ScheduledExecutorService getScheduledExecutorService() {
        ScheduledExecutorService current = scheduler;
        if (current == null) {
            synchronized (this) {
                if (scheduler == null) {
                    scheduler = new TyrusTimers(Thread.ofVirtual().name("netpoll-ws-timer-", 0).factory());
                }
                current = scheduler;
            }
        }
        return current;
    }

    /** Stops the executors made for Tyrus; sessions end with their connections. */
    @Override
    public void shutdown() {
        ExecutorService e = executor;
        if (e != null) {
            e.shutdownNow();
        }
        ScheduledExecutorService s = scheduler;
        if (s != null) {
            s.shutdownNow();
        }
        ScheduledExecutorService sweep = sweeper;
        if (sweep != null) {
            sweep.shutdownNow();
        }
    }
}
