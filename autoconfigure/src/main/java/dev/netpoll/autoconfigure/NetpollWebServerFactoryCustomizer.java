package dev.netpoll.autoconfigure;

import dev.netpoll.http.HttpConfig;
import dev.netpoll.websocket.WebSocketSettings;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.core.Ordered;
import org.springframework.util.unit.DataSize;

/**
 * Applies {@code server.netpoll.*} and the server-specific {@code server.*} settings
 * ({@code max-http-request-header-size}) to the factory, refusing values the engine cannot use
 * with a message that names the property.
 *
 * @since 0.1.0
 */
public class NetpollWebServerFactoryCustomizer implements WebServerFactoryCustomizer<NetpollServletWebServerFactory>, Ordered {

    private final ServerProperties server;
    private final NetpollServerProperties netpoll;

    public NetpollWebServerFactoryCustomizer(ServerProperties server, NetpollServerProperties netpoll) {
        this.server = server;
        this.netpoll = netpoll;
    }

    @Override
    public int getOrder() {
        return 0;
    }

    @Override
    public void customize(NetpollServletWebServerFactory factory) {
        factory.setTransport(netpoll.getTransport().name().toLowerCase(java.util.Locale.ROOT));
        factory.setPollerThreads(atLeast(netpoll.getPollerThreads(), 1, "server.netpoll.poller-threads"));
        var config = factory.getHttpConfig().toBuilder()
                .backlog(atLeast(netpoll.getAcceptBacklog(), 1, "server.netpoll.accept-backlog"))
                .deferAccept(deferAccept(netpoll.getDeferAccept()))
                .maxHeaderCount(atLeast(netpoll.getMaxHeaderCount(), 1, "server.netpoll.max-header-count"))
                .headTimeout(positive(netpoll.getHeadTimeout(), "server.netpoll.head-timeout"))
                .idleTimeout(positive(netpoll.getIdleTimeout(), "server.netpoll.idle-timeout"))
                .shutdownQuietPeriod(notNegative(netpoll.getShutdownQuietPeriod(), "server.netpoll.shutdown-quiet-period"))
                .bodyReadTimeout(positive(netpoll.getBodyReadTimeout(), "server.netpoll.body-read-timeout"))
                .writeTimeout(positive(netpoll.getWriteTimeout(), "server.netpoll.write-timeout"))
                .maxBodySize(netpoll.getMaxBodySize() == null ? -1
                        : atLeast(netpoll.getMaxBodySize().toBytes(), 0, "server.netpoll.max-body-size"))
                .maxDrainSize(atLeast(netpoll.getMaxDrainSize().toBytes(), 0, "server.netpoll.max-drain-size"));
        if (netpoll.getMaxConnections() != null) {
            // Unset keeps the engine's default, derived from the descriptor limit (ConnectionLimit).
            config.maxConnections(atLeast(netpoll.getMaxConnections(), 1, "server.netpoll.max-connections"));
        }
        var accesslog = netpoll.getAccesslog();
        if (accesslog.isEnabled()) {
            factory.setAccessLog(new AccessLogSettings(java.nio.file.Path.of(accesslog.getDirectory()).toAbsolutePath(),
                    accesslog.getPrefix(), accesslog.getPattern()));
        }
        if (server.getForwardHeadersStrategy() == ServerProperties.ForwardHeadersStrategy.NATIVE) {
            factory.setTrustedProxies(trustedProxies(netpoll.getTrustedProxies()));
        }
        DataSize headerSize = server.getMaxHttpRequestHeaderSize();
        if (headerSize != null) {
            long bytes = headerSize.toBytes();
            if (bytes < 256 || bytes > 1024 * 1024) {
                throw new IllegalStateException("server.max-http-request-header-size must be between 256B and 1MB for Netpoll, was "
                        + headerSize);
            }
            config.maxHeadSize((int) bytes);
        }
        factory.setHttpConfig(config.build());
        var websocket = netpoll.getWebsocket();
        factory.setWebSocketSettings(new WebSocketSettings(
                messageSize(websocket.getMaxTextMessageSize(), "server.netpoll.websocket.max-text-message-size"),
                messageSize(websocket.getMaxBinaryMessageSize(), "server.netpoll.websocket.max-binary-message-size"),
                notNegative(websocket.getIdleTimeout(), "server.netpoll.websocket.idle-timeout"),
                atLeast(websocket.getMaxSessions(), 1, "server.netpoll.websocket.max-sessions"),
                netpoll.getWriteTimeout(),
                notNegative(websocket.getCloseTimeout(), "server.netpoll.websocket.close-timeout")));
        factory.setHttp2Config(http2(netpoll.getHttp2()));
    }

    private static java.time.Duration deferAccept(java.time.Duration value) {
        notNegative(value, "server.netpoll.defer-accept");
        if (value.compareTo(HttpConfig.MAX_DEFER_ACCEPT) > 0) {
            throw new IllegalStateException("server.netpoll.defer-accept must be at most 1h (0 turns it off), was "
                    + value);
        }
        return value;
    }

    private static int messageSize(DataSize size, String property) {
        // Tyrus buffers a message in one array: the limit must fit an int with room for a frame header.
        return (int) bytes(size, 1, Integer.MAX_VALUE - 64, property);
    }

    private static dev.netpoll.http2.Http2Config http2(NetpollServerProperties.Http2 http2) {
        String prefix = "server.netpoll.http2.";
        try {
            return new dev.netpoll.http2.Http2Config(
                    atLeast(http2.getMaxConcurrentStreams(), 1, prefix + "max-concurrent-streams"),
                    (int) bytes(http2.getMaxHeaderListSize(), 1024, Integer.MAX_VALUE, prefix + "max-header-list-size"),
                    (int) bytes(http2.getHeaderTableSize(), 4096, 1 << 20, prefix + "header-table-size"),
                    (int) bytes(http2.getInitialStreamWindow(), 65_535, Integer.MAX_VALUE, prefix + "initial-stream-window"),
                    (int) bytes(http2.getConnectionWindow(), 65_535, Integer.MAX_VALUE, prefix + "connection-window"),
                    atLeast(http2.getMaxResetsPerSecond(), 1, prefix + "max-resets-per-second"),
                    atLeast(http2.getMaxControlFramesPerSecond(), 10, prefix + "max-control-frames-per-second"),
                    positive(http2.getIdleTimeout(), prefix + "idle-timeout"));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("server.netpoll.http2.*: " + e.getMessage(), e);
        }
    }

    private static long bytes(DataSize size, long minimum, long maximum, String property) {
        long bytes = size == null ? -1 : size.toBytes();
        if (bytes < minimum || bytes > maximum) {
            throw new IllegalStateException(property + " must be between " + minimum + "B and " + maximum + "B, was " + size);
        }
        return bytes;
    }

    private static java.util.regex.Pattern trustedProxies(String regex) {
        if (regex == null || regex.isBlank()) {
            return dev.netpoll.servlet.NetpollServletContext.defaultTrustedProxies();
        }
        try {
            return java.util.regex.Pattern.compile(regex);
        } catch (java.util.regex.PatternSyntaxException e) {
            throw new IllegalStateException("server.netpoll.trusted-proxies is not a valid regular expression: "
                    + e.getDescription(), e);
        }
    }

    private static <T extends Number> T atLeast(T value, long minimum, String property) {
        if (value.longValue() < minimum) {
            throw new IllegalStateException(property + " must be at least " + minimum + ", was " + value);
        }
        return value;
    }

    private static java.time.Duration positive(java.time.Duration value, String property) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalStateException(property + " must be a positive duration, was " + value);
        }
        return value;
    }

    private static java.time.Duration notNegative(java.time.Duration value, String property) {
        if (value == null || value.isNegative()) {
            throw new IllegalStateException(property + " must be zero or a positive duration, was " + value);
        }
        return value;
    }
}
