package dev.netpoll.tls;

import javax.net.ssl.SSLHandshakeException;

/**
 * The peer's first byte is not a TLS handshake record (content type 22, RFC 8446 section 5.1):
 * most likely a plain-HTTP client on a TLS port. Nothing was sent to the peer yet, so the layer
 * above may answer in cleartext on {@link TlsConn#plain()} with something a person can read.
 */
public final class NotTlsException extends SSLHandshakeException {

    private final int firstByte;

    NotTlsException(int firstByte) {
        super("not a TLS handshake: first byte 0x" + Integer.toHexString(firstByte));
        this.firstByte = firstByte;
    }

    /** The byte that was read where a TLS record type was expected. */
    public int firstByte() {
        return firstByte;
    }
}
