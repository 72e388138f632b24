package dev.netpoll.http;

import java.time.Duration;

/**
 * Limits and timeouts of the HTTP/1.1 engine. Defaults follow Tomcat and Spring Boot where they
 * exist and are stricter than Go's zero-value server, which has no timeouts at all.
 *
 * @param maxHeadSize         request line plus header block, bytes (Spring Boot's
 *                            {@code server.max-http-request-header-size}, 8 KiB)
 * @param maxHeaderCount      header fields per request (Tomcat: 100)
 * @param maxBodySize         request body bytes, or -1 for no limit (Tomcat and Jetty: none)
 * @param maxConnections      connections served at once; at the limit accepting pauses (default: the
 *                            descriptor limit less a reserve, see {@link ConnectionLimit}; Tomcat's 8192
 *                            is a thread budget, which a parked task does not need)
 * @param headTimeout         from the first byte of a request to the end of its head (slowloris)
 * @param idleTimeout         keep-alive: how long a connection may wait for its next request
 * @param bodyReadTimeout     longest wait for the next bytes of a request body
 * @param writeTimeout        longest wait for the client to accept response bytes
 * @param maxDrainSize        unread request body the server reads and discards to keep a
 *                            connection alive (Tomcat's maxSwallowSize, 2 MiB); above it, it closes
 * @param serverHeader        value of the {@code Server} response header, or null for none
 * @param backlog             listen backlog
 * @param compression         when responses are gzip-compressed (off by default)
 * @param shutdownQuietPeriod graceful shutdown: how long a keep-alive connection must have been
 *                            waiting for its next request before it is closed; a request arriving
 *                            sooner is served with {@code Connection: close} (closing a connection
 *                            a client is about to use loses that client's request)
 * @param deferAccept         epoll transport: the kernel hands over a connection only once its
 *                            first bytes have arrived, or after this long without any (Linux's
 *                            {@code TCP_DEFER_ACCEPT}; the kernel counts it in SYN-ACK
 *                            retransmissions, so it rounds up to 1, 3, 7, 15, 31... s); zero hands it
 *                            over at the handshake (the default). HTTP clients speak first, so a
 *                            deferred connection comes with its request and is served without
 *                            waiting for it. Off by default because a connection its client opened
 *                            ahead of use is not yet the server's: if its first bytes have not
 *                            arrived when graceful shutdown stops accepting, the closed listener
 *                            answers them with a reset, as it does connections still in their
 *                            handshake; accepted at the handshake, it would be served a request
 *                            that comes within the shutdown quiet period.
 */
public record HttpConfig(
        int maxHeadSize,
        int maxHeaderCount,
        long maxBodySize,
        int maxConnections,
        Duration headTimeout,
        Duration idleTimeout,
        Duration bodyReadTimeout,
        Duration writeTimeout,
        long maxDrainSize,
        String serverHeader,
        int backlog,
        ResponseCompression compression,
        Duration shutdownQuietPeriod,
        Duration deferAccept) {

    /** The longest deferral accepted: a connection that long without a byte is not a client. */
    public static final Duration MAX_DEFER_ACCEPT = Duration.ofHours(1);

    public static final HttpConfig DEFAULTS = new HttpConfig(
            8 * 1024, 100, -1, ConnectionLimit.byDefault(),
            Duration.ofSeconds(20), Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofSeconds(30),
            2 * 1024 * 1024, null, 1024, ResponseCompression.OFF, Duration.ofSeconds(1), Duration.ZERO);

    public HttpConfig {
        require(maxHeadSize >= 256 && maxHeadSize <= 1024 * 1024, "maxHeadSize", "between 256 and 1048576 bytes", maxHeadSize);
        require(maxHeaderCount >= 1, "maxHeaderCount", "at least 1", maxHeaderCount);
        require(maxBodySize == -1 || maxBodySize >= 0, "maxBodySize", "-1 (no limit) or at least 0", maxBodySize);
        require(maxConnections >= 1, "maxConnections", "at least 1", maxConnections);
        positive(headTimeout, "headTimeout");
        positive(idleTimeout, "idleTimeout");
        positive(bodyReadTimeout, "bodyReadTimeout");
        positive(writeTimeout, "writeTimeout");
        require(maxDrainSize >= 0, "maxDrainSize", "at least 0", maxDrainSize);
        require(backlog >= 1, "backlog", "at least 1", backlog);
        if (shutdownQuietPeriod == null || shutdownQuietPeriod.isNegative()) {
            throw new IllegalArgumentException("shutdownQuietPeriod must be zero or positive, was " + shutdownQuietPeriod);
        }
        if (deferAccept == null || deferAccept.isNegative() || deferAccept.compareTo(MAX_DEFER_ACCEPT) > 0) {
            throw new IllegalArgumentException("deferAccept must be between zero (off) and " + MAX_DEFER_ACCEPT
                    + ", was " + deferAccept);
        }
        if (compression == null) {
            throw new IllegalArgumentException("compression must not be null (use ResponseCompression.OFF)");
        }
    }

    private static void require(boolean ok, String name, String rule, Object value) {
        if (!ok) {
            throw new IllegalArgumentException(name + " must be " + rule + ", was " + value);
        }
    }

    private static void positive(Duration value, String name) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, was " + value);
        }
    }

    /** A builder starting from these values. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Changes some values of an {@link HttpConfig}; {@link #build()} validates them all. */
    public static final class Builder {

        private int maxHeadSize;
        private int maxHeaderCount;
        private long maxBodySize;
        private int maxConnections;
        private Duration headTimeout;
        private Duration idleTimeout;
        private Duration bodyReadTimeout;
        private Duration writeTimeout;
        private long maxDrainSize;
        private String serverHeader;
        private int backlog;
        private ResponseCompression compression;
        private Duration shutdownQuietPeriod;
        private Duration deferAccept;

        private Builder(HttpConfig from) {
            maxHeadSize = from.maxHeadSize;
            maxHeaderCount = from.maxHeaderCount;
            maxBodySize = from.maxBodySize;
            maxConnections = from.maxConnections;
            headTimeout = from.headTimeout;
            idleTimeout = from.idleTimeout;
            bodyReadTimeout = from.bodyReadTimeout;
            writeTimeout = from.writeTimeout;
            maxDrainSize = from.maxDrainSize;
            serverHeader = from.serverHeader;
            backlog = from.backlog;
            compression = from.compression;
            shutdownQuietPeriod = from.shutdownQuietPeriod;
            deferAccept = from.deferAccept;
        }

        public Builder maxHeadSize(int value) {
            maxHeadSize = value;
            return this;
        }

        public Builder maxHeaderCount(int value) {
            maxHeaderCount = value;
            return this;
        }

        public Builder maxBodySize(long value) {
            maxBodySize = value;
            return this;
        }

        public Builder maxConnections(int value) {
            maxConnections = value;
            return this;
        }

        public Builder headTimeout(Duration value) {
            headTimeout = value;
            return this;
        }

        public Builder idleTimeout(Duration value) {
            idleTimeout = value;
            return this;
        }

        public Builder bodyReadTimeout(Duration value) {
            bodyReadTimeout = value;
            return this;
        }

        public Builder writeTimeout(Duration value) {
            writeTimeout = value;
            return this;
        }

        public Builder maxDrainSize(long value) {
            maxDrainSize = value;
            return this;
        }

        public Builder serverHeader(String value) {
            serverHeader = value;
            return this;
        }

        public Builder backlog(int value) {
            backlog = value;
            return this;
        }

        public Builder compression(ResponseCompression value) {
            compression = value;
            return this;
        }

        public Builder shutdownQuietPeriod(Duration value) {
            shutdownQuietPeriod = value;
            return this;
        }

        public Builder deferAccept(Duration value) {
            deferAccept = value;
            return this;
        }

        public HttpConfig build() {
            return new HttpConfig(maxHeadSize, maxHeaderCount, maxBodySize, maxConnections, headTimeout,
                    idleTimeout, bodyReadTimeout, writeTimeout, maxDrainSize, serverHeader, backlog, compression,
                    shutdownQuietPeriod, deferAccept);
        }
    }
}
