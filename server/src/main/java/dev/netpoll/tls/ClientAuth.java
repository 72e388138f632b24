package dev.netpoll.tls;

/**
 * Whether the server asks the client for a certificate (RFC 8446 section 4.3.2), as Spring Boot's
 * {@code server.ssl.client-auth}: not at all, asks but accepts a client without one, or requires
 * one and fails the handshake without it.
 */
public enum ClientAuth {
    NONE, WANT, NEED
}
