package dev.netpoll.autoconfigure;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Netpoll's own server settings, under {@code server.netpoll}. The generic ones ({@code server.port},
 * {@code server.address}, {@code server.max-http-request-header-size}, ...) keep their Spring Boot
 * names.
 *
 * @since 0.1.0
 */
@ConfigurationProperties("server.netpoll")
public class NetpollServerProperties {

    /** Network transport: epoll (Linux, libc through JNA), nio (portable), or auto (epoll where it can run). */
    private Transport transport = Transport.AUTO;

    /** Platform threads that block in epoll_wait when everything is idle; descriptors are sharded between them. */
    private int pollerThreads = 1;

    /**
     * Connections served at once; at the limit the server stops accepting until one closes. Unset:
     * the process's descriptor limit (ulimit -n) less a reserve of 1024 (half the limit when it is
     * below 2048) for files and outbound sockets, as logged at start-up.
     */
    private Integer maxConnections;

    /** Listen backlog: connections the kernel queues while accepting is paused. */
    private int acceptBacklog = 1024;

    /**
     * Epoll transport: the kernel hands a connection over once its first bytes arrive, or after about
     * this long without any (Linux TCP_DEFER_ACCEPT, rounded up to its SYN-ACK retransmission times:
     * 1, 3, 7, 15... s). HTTP clients speak first, so a new connection comes with its request, which
     * saves a wait and a wake-up per connection. 0 (the default) hands connections over at the
     * handshake. With a deferral, graceful shutdown resets a connection whose first bytes had not
     * arrived when it stopped accepting; without one, such a connection is still served if its
     * request comes within the shutdown quiet period.
     */
    private Duration deferAccept = Duration.ZERO;

    /** Longest time from a request's first byte to the end of its head (slow clients get 408). */
    private Duration headTimeout = Duration.ofSeconds(20);

    /** Longest time a keep-alive connection may wait for its next request. */
    private Duration idleTimeout = Duration.ofSeconds(60);

    /**
     * Graceful shutdown: how long a keep-alive connection must have waited for its next request
     * before it is closed; a request that arrives sooner is served with Connection: close.
     */
    private Duration shutdownQuietPeriod = Duration.ofSeconds(1);

    /** Longest stall while reading a request body (408 when it passes). */
    private Duration bodyReadTimeout = Duration.ofSeconds(30);

    /** Longest wait for a client to accept response bytes. */
    private Duration writeTimeout = Duration.ofSeconds(30);

    /** Header fields allowed in one request (431 above it). */
    private int maxHeaderCount = 100;

    /** Largest request body accepted (413 above it); unset for no limit. */
    private DataSize maxBodySize;

    /** Unread request body the server reads and discards to keep a connection alive; above it, it closes. */
    private DataSize maxDrainSize = DataSize.ofMegabytes(2);

    /**
     * Proxies whose forwarded headers are believed (a regular expression over the peer's IP),
     * with server.forward-headers-strategy=native; unset: loopback, link-local and private ranges.
     */
    private String trustedProxies;

    public String getTrustedProxies() {
        return trustedProxies;
    }

    public void setTrustedProxies(String trustedProxies) {
        this.trustedProxies = trustedProxies;
    }

    /** The access log. */
    private final Accesslog accesslog = new Accesslog();

    /** HTTP/2 limits, in force when server.http2.enabled is true. */
    private final Http2 http2 = new Http2();

    public Http2 getHttp2() {
        return http2;
    }

    /**
     * HTTP/2 limits and attack defences, under {@code server.netpoll.http2}; each has a safe
     * default and applies only when {@code server.http2.enabled} is true.
     */
    public static class Http2 {

        /** Streams a client may have in progress on one connection (SETTINGS_MAX_CONCURRENT_STREAMS); more are refused with REFUSED_STREAM. */
        private int maxConcurrentStreams = 100;

        /**
         * Largest decoded request header list (SETTINGS_MAX_HEADER_LIST_SIZE; name + value + 32 bytes per
         * field); a larger one gets 431. Also bounds a header block across CONTINUATION frames: a
         * longer block ends the connection with ENHANCE_YOUR_CALM (CVE-2024-27316).
         */
        private DataSize maxHeaderListSize = DataSize.ofKilobytes(16);

        /** HPACK dynamic table a client may make the server keep per connection (SETTINGS_HEADER_TABLE_SIZE). */
        private DataSize headerTableSize = DataSize.ofBytes(4096);

        /** Request body a stream may send ahead of the application reading it (SETTINGS_INITIAL_WINDOW_SIZE). */
        private DataSize initialStreamWindow = DataSize.ofKilobytes(256);

        /** Request body all streams of a connection together may send ahead of the applications reading it. */
        private DataSize connectionWindow = DataSize.ofMegabytes(1);

        /** Streams a client may cancel per second before the connection ends with ENHANCE_YOUR_CALM (rapid reset, CVE-2023-44487). */
        private int maxResetsPerSecond = 100;

        /** SETTINGS, PING, PRIORITY and empty DATA frames a client may send per second before the connection ends with ENHANCE_YOUR_CALM. */
        private int maxControlFramesPerSecond = 1000;

        /** How long a connection without a stream in progress stays open; then GOAWAY and close. */
        private Duration idleTimeout = Duration.ofSeconds(60);

        public int getMaxConcurrentStreams() {
            return maxConcurrentStreams;
        }

        public void setMaxConcurrentStreams(int maxConcurrentStreams) {
            this.maxConcurrentStreams = maxConcurrentStreams;
        }

        public DataSize getMaxHeaderListSize() {
            return maxHeaderListSize;
        }

        public void setMaxHeaderListSize(DataSize maxHeaderListSize) {
            this.maxHeaderListSize = maxHeaderListSize;
        }

        public DataSize getHeaderTableSize() {
            return headerTableSize;
        }

        public void setHeaderTableSize(DataSize headerTableSize) {
            this.headerTableSize = headerTableSize;
        }

        public DataSize getInitialStreamWindow() {
            return initialStreamWindow;
        }

        public void setInitialStreamWindow(DataSize initialStreamWindow) {
            this.initialStreamWindow = initialStreamWindow;
        }

        public DataSize getConnectionWindow() {
            return connectionWindow;
        }

        public void setConnectionWindow(DataSize connectionWindow) {
            this.connectionWindow = connectionWindow;
        }

        public int getMaxResetsPerSecond() {
            return maxResetsPerSecond;
        }

        public void setMaxResetsPerSecond(int maxResetsPerSecond) {
            this.maxResetsPerSecond = maxResetsPerSecond;
        }

        public int getMaxControlFramesPerSecond() {
            return maxControlFramesPerSecond;
        }

        public void setMaxControlFramesPerSecond(int maxControlFramesPerSecond) {
            this.maxControlFramesPerSecond = maxControlFramesPerSecond;
        }

        public Duration getIdleTimeout() {
            return idleTimeout;
        }

        public void setIdleTimeout(Duration idleTimeout) {
            this.idleTimeout = idleTimeout;
        }
    }

    public Accesslog getAccesslog() {
        return accesslog;
    }

    /** Access log settings, under {@code server.netpoll.accesslog}. */
    public static class Accesslog {

        /** Whether to write an access log. */
        private boolean enabled;

        /** Directory of the log files, relative to the working directory unless absolute. */
        private String directory = "logs";

        /** File name prefix; files are named prefix.yyyy-MM-dd.log, a new one each day. */
        private String prefix = "access_log";

        /** Line format: combined (Apache's, the default), common, or a pattern of % codes such as %h %t "%r" %s %b %D. */
        private String pattern = "combined";

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getDirectory() {
            return directory;
        }

        public void setDirectory(String directory) {
            this.directory = directory;
        }

        public String getPrefix() {
            return prefix;
        }

        public void setPrefix(String prefix) {
            this.prefix = prefix;
        }

        public String getPattern() {
            return pattern;
        }

        public void setPattern(String pattern) {
            this.pattern = pattern;
        }
    }

    /** WebSocket sessions. */
    private final Websocket websocket = new Websocket();

    public Websocket getWebsocket() {
        return websocket;
    }

    /** WebSocket settings, under {@code server.netpoll.websocket}. */
    public static class Websocket {

        /** Largest text message a client may send; a bigger one closes the session with 1009. */
        private DataSize maxTextMessageSize = DataSize.ofKilobytes(64);

        /** Largest binary message a client may send; a bigger one closes the session with 1009. */
        private DataSize maxBinaryMessageSize = DataSize.ofKilobytes(64);

        /**
         * A session that neither receives nor sends for this long (pings and pongs count) is
         * closed with 1001; 0 for never. On by default so that a peer that vanished without a FIN
         * does not hold its task, descriptor and session slot forever.
         */
        private Duration idleTimeout = Duration.ofMinutes(10);

        /** Sessions open at once; a handshake beyond it is answered 503. */
        private int maxSessions = 10_000;

        /** How long a closing session waits for the client's close frame before dropping the connection. */
        private Duration closeTimeout = Duration.ofSeconds(5);

        public DataSize getMaxTextMessageSize() {
            return maxTextMessageSize;
        }

        public void setMaxTextMessageSize(DataSize maxTextMessageSize) {
            this.maxTextMessageSize = maxTextMessageSize;
        }

        public DataSize getMaxBinaryMessageSize() {
            return maxBinaryMessageSize;
        }

        public void setMaxBinaryMessageSize(DataSize maxBinaryMessageSize) {
            this.maxBinaryMessageSize = maxBinaryMessageSize;
        }

        public Duration getIdleTimeout() {
            return idleTimeout;
        }

        public void setIdleTimeout(Duration idleTimeout) {
            this.idleTimeout = idleTimeout;
        }

        public int getMaxSessions() {
            return maxSessions;
        }

        public void setMaxSessions(int maxSessions) {
            this.maxSessions = maxSessions;
        }

        public Duration getCloseTimeout() {
            return closeTimeout;
        }

        public void setCloseTimeout(Duration closeTimeout) {
            this.closeTimeout = closeTimeout;
        }
    }

    /** The network transports. */
    public enum Transport {
        /** epoll where Linux and libc allow, else nio. */
        AUTO,
        /** Linux epoll through JNA; startup fails where it cannot run. */
        EPOLL,
        /** JDK channels on virtual threads. */
        NIO
    }

    public Transport getTransport() {
        return transport;
    }

    public void setTransport(Transport transport) {
        this.transport = transport;
    }

    public int getPollerThreads() {
        return pollerThreads;
    }

    public void setPollerThreads(int pollerThreads) {
        this.pollerThreads = pollerThreads;
    }

    public Integer getMaxConnections() {
        return maxConnections;
    }

    public void setMaxConnections(Integer maxConnections) {
        this.maxConnections = maxConnections;
    }

    public int getAcceptBacklog() {
        return acceptBacklog;
    }

    public void setAcceptBacklog(int acceptBacklog) {
        this.acceptBacklog = acceptBacklog;
    }

    public Duration getHeadTimeout() {
        return headTimeout;
    }

    public void setHeadTimeout(Duration headTimeout) {
        this.headTimeout = headTimeout;
    }

    public Duration getDeferAccept() {
        return deferAccept;
    }

    public void setDeferAccept(Duration deferAccept) {
        this.deferAccept = deferAccept;
    }

    public Duration getShutdownQuietPeriod() {
        return shutdownQuietPeriod;
    }

    public void setShutdownQuietPeriod(Duration shutdownQuietPeriod) {
        this.shutdownQuietPeriod = shutdownQuietPeriod;
    }

    public Duration getIdleTimeout() {
        return idleTimeout;
    }

    public void setIdleTimeout(Duration idleTimeout) {
        this.idleTimeout = idleTimeout;
    }

    public Duration getBodyReadTimeout() {
        return bodyReadTimeout;
    }

    public void setBodyReadTimeout(Duration bodyReadTimeout) {
        this.bodyReadTimeout = bodyReadTimeout;
    }

    public Duration getWriteTimeout() {
        return writeTimeout;
    }

    public void setWriteTimeout(Duration writeTimeout) {
        this.writeTimeout = writeTimeout;
    }

    public int getMaxHeaderCount() {
        return maxHeaderCount;
    }

    public void setMaxHeaderCount(int maxHeaderCount) {
        this.maxHeaderCount = maxHeaderCount;
    }

    public DataSize getMaxBodySize() {
        return maxBodySize;
    }

    public void setMaxBodySize(DataSize maxBodySize) {
        this.maxBodySize = maxBodySize;
    }

    public DataSize getMaxDrainSize() {
        return maxDrainSize;
    }

    public void setMaxDrainSize(DataSize maxDrainSize) {
        this.maxDrainSize = maxDrainSize;
    }
}
