package dev.netpoll.tls;

import java.time.Duration;
import javax.net.ssl.SSLHandshakeException;

/**
 * The peer did not complete the TLS handshake within the handshake timeout: a slow or stalled
 * client, cut off so that it cannot hold a connection (and its task) without ever sending a
 * request. Not a {@link dev.netpoll.poll.DeadlineExceededException}, which the HTTP layer reads as
 * the end of an idle wait.
 */
public final class HandshakeTimeoutException extends SSLHandshakeException {

    HandshakeTimeoutException(Duration timeout) {
        super("TLS handshake not completed within " + timeout);
    }
}
