package dev.netpoll.http2;

import java.time.Duration;

/**
 * HTTP/2 limits, each a defence as well as a setting. Defaults follow Go's {@code x/net/http2}
 * where it has one.
 *
 * @param maxConcurrentStreams      SETTINGS_MAX_CONCURRENT_STREAMS: streams a client may have open
 *                                  (handlers running) at once; more are refused with REFUSED_STREAM
 * @param maxHeaderListSize         SETTINGS_MAX_HEADER_LIST_SIZE: decoded header list bytes
 *                                  (name + value + 32 per field); a larger request gets 431. Also
 *                                  bounds a header block across CONTINUATION frames (CVE-2024-27316):
 *                                  a block larger than this ends the connection with ENHANCE_YOUR_CALM
 * @param headerTableSize           SETTINGS_HEADER_TABLE_SIZE: the HPACK dynamic table the client
 *                                  may make us keep; at least the RFC's 4096
 * @param initialStreamWindow       SETTINGS_INITIAL_WINDOW_SIZE: request body bytes a stream may
 *                                  send ahead of the application reading them; at least the RFC's 65535
 * @param connectionWindow          request body bytes all streams together may send ahead
 * @param maxResetsPerSecond        streams a client may cancel (RST_STREAM) per second before it
 *                                  gets GOAWAY ENHANCE_YOUR_CALM (rapid reset, CVE-2023-44487)
 * @param maxControlFramesPerSecond SETTINGS, PING, PRIORITY, empty DATA, WINDOW_UPDATE on closed
 *                                  streams, frames we answer with RST_STREAM and requests we
 *                                  answer 431 that a client may send per second (flood defence)
 * @param idleTimeout               a connection with no open stream for this long is closed
 *                                  with GOAWAY NO_ERROR
 */
public record Http2Config(
        int maxConcurrentStreams,
        int maxHeaderListSize,
        int headerTableSize,
        int initialStreamWindow,
        int connectionWindow,
        int maxResetsPerSecond,
        int maxControlFramesPerSecond,
        Duration idleTimeout) {

    public static final Http2Config DEFAULTS = new Http2Config(100, 16 * 1024, 4096, 256 * 1024, 1024 * 1024, 100,
            1000, Duration.ofSeconds(60));

    public Http2Config {
        require(maxConcurrentStreams >= 1, "maxConcurrentStreams", "at least 1", maxConcurrentStreams);
        require(maxHeaderListSize >= 1024, "maxHeaderListSize", "at least 1024 bytes", maxHeaderListSize);
        // Both bind a client only once it has read our SETTINGS, and it may send its first requests
        // (and their bodies) before that, assuming the RFC defaults: a smaller value would fail those
        // requests with COMPRESSION_ERROR or FLOW_CONTROL_ERROR (RFC 9113 section 6.5.3).
        require(headerTableSize >= 4096 && headerTableSize <= 1 << 20, "headerTableSize",
                "between 4096 and 1048576 bytes (clients may use the default 4096 before reading our SETTINGS)",
                headerTableSize);
        require(initialStreamWindow >= Frame.DEFAULT_WINDOW, "initialStreamWindow",
                "at least 65535 bytes (clients may send that much before reading our SETTINGS)", initialStreamWindow);
        require(connectionWindow >= Frame.DEFAULT_WINDOW, "connectionWindow", "at least 65535 bytes", connectionWindow);
        require(maxResetsPerSecond >= 1, "maxResetsPerSecond", "at least 1", maxResetsPerSecond);
        require(maxControlFramesPerSecond >= 10, "maxControlFramesPerSecond", "at least 10", maxControlFramesPerSecond);
        require(idleTimeout != null && idleTimeout.isPositive(), "idleTimeout", "positive", idleTimeout);
    }

    private static void require(boolean ok, String name, String rule, Object value) {
        if (!ok) {
            throw new IllegalArgumentException("HTTP/2 " + name + " must be " + rule + ", was " + value);
        }
    }

    public Http2Config withMaxConcurrentStreams(int value) {
        return new Http2Config(value, maxHeaderListSize, headerTableSize, initialStreamWindow, connectionWindow,
                maxResetsPerSecond, maxControlFramesPerSecond, idleTimeout);
    }

    public Http2Config withMaxHeaderListSize(int value) {
        return new Http2Config(maxConcurrentStreams, value, headerTableSize, initialStreamWindow, connectionWindow,
                maxResetsPerSecond, maxControlFramesPerSecond, idleTimeout);
    }

    public Http2Config withHeaderTableSize(int value) {
        return new Http2Config(maxConcurrentStreams, maxHeaderListSize, value, initialStreamWindow, connectionWindow,
                maxResetsPerSecond, maxControlFramesPerSecond, idleTimeout);
    }

    public Http2Config withInitialStreamWindow(int value) {
        return new Http2Config(maxConcurrentStreams, maxHeaderListSize, headerTableSize, value, connectionWindow,
                maxResetsPerSecond, maxControlFramesPerSecond, idleTimeout);
    }

    public Http2Config withConnectionWindow(int value) {
        return new Http2Config(maxConcurrentStreams, maxHeaderListSize, headerTableSize, initialStreamWindow, value,
                maxResetsPerSecond, maxControlFramesPerSecond, idleTimeout);
    }

    public Http2Config withMaxResetsPerSecond(int value) {
        return new Http2Config(maxConcurrentStreams, maxHeaderListSize, headerTableSize, initialStreamWindow,
                connectionWindow, value, maxControlFramesPerSecond, idleTimeout);
    }

    public Http2Config withMaxControlFramesPerSecond(int value) {
        return new Http2Config(maxConcurrentStreams, maxHeaderListSize, headerTableSize, initialStreamWindow,
                connectionWindow, maxResetsPerSecond, value, idleTimeout);
    }

    public Http2Config withIdleTimeout(Duration value) {
        return new Http2Config(maxConcurrentStreams, maxHeaderListSize, headerTableSize, initialStreamWindow,
                connectionWindow, maxResetsPerSecond, maxControlFramesPerSecond, value);
    }
}
