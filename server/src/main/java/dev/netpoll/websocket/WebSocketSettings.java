package dev.netpoll.websocket;

import java.time.Duration;

/**
 * Limits for WebSocket sessions.
 *
 * @param maxTextMessageSize largest text message accepted, in bytes (bigger closes with 1009)
 * @param maxBinaryMessageSize largest binary message accepted, in bytes (bigger closes with 1009)
 * @param idleTimeout a session that neither receives nor sends for this long is closed with 1001;
 *        zero for none
 * @param maxSessions sessions open at once; a handshake beyond it is answered 503
 * @param writeTimeout a send that cannot hand its bytes to the socket for this long fails and
 *        closes the session
 * @param closeTimeout how long a closing session waits for the client's close frame
 */
public record WebSocketSettings(int maxTextMessageSize, int maxBinaryMessageSize, Duration idleTimeout,
        int maxSessions, Duration writeTimeout, Duration closeTimeout) {

    public static final WebSocketSettings DEFAULTS = new WebSocketSettings(64 * 1024, 64 * 1024,
            Duration.ofMinutes(10), 10_000, Duration.ofSeconds(30), Duration.ofSeconds(5));

    public WebSocketSettings {
        if (maxTextMessageSize < 1 || maxBinaryMessageSize < 1) {
            throw new IllegalArgumentException("WebSocket message size limits must be at least 1 byte, were "
                    + maxTextMessageSize + " and " + maxBinaryMessageSize);
        }
        if (maxSessions < 1) {
            throw new IllegalArgumentException("WebSocket max sessions must be at least 1, was " + maxSessions);
        }
        if (idleTimeout.isNegative() || writeTimeout.isNegative() || closeTimeout.isNegative()) {
            throw new IllegalArgumentException("WebSocket timeouts must not be negative");
        }
    }
}
