package dev.netpoll.servlet;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * The request attributes that Servlet 6.1 section 3.10 names for a request over TLS: the client's
 * certificate chain, the cipher suite, its key size and the session id. Read from the session
 * when asked, so a cleartext request or one that never asks pays nothing.
 */
final class TlsAttributes {

    static final String CERTIFICATES = "jakarta.servlet.request.X509Certificate";
    static final String CIPHER_SUITE = "jakarta.servlet.request.cipher_suite";
    static final String KEY_SIZE = "jakarta.servlet.request.key_size";
    static final String SESSION_ID = "jakarta.servlet.request.ssl_session_id";
    static final List<String> NAMES = List.of(CERTIFICATES, CIPHER_SUITE, KEY_SIZE, SESSION_ID);

    private TlsAttributes() {
    }

    /** The attribute {@code name} of {@code session}, or null if it is not one of these or has no value. */
    static Object get(SSLSession session, String name) {
        return switch (name) {
            case CERTIFICATES -> certificates(session);
            case CIPHER_SUITE -> session.getCipherSuite();
            case KEY_SIZE -> keySize(session.getCipherSuite());
            case SESSION_ID -> session.getId().length == 0 ? null : HexFormat.of().formatHex(session.getId());
            default -> null;
        };
    }

    private static X509Certificate[] certificates(SSLSession session) {
        try {
            Certificate[] chain = session.getPeerCertificates();
            return Arrays.stream(chain).filter(X509Certificate.class::isInstance).map(X509Certificate.class::cast)
                    .toArray(X509Certificate[]::new);
        } catch (SSLPeerUnverifiedException e) {
            return null; // no client certificate
        }
    }

    /**
     * The symmetric key size in bits of a cipher suite, from its name (as Tomcat derives it): the
     * JDK does not expose it, and the bulk cipher in the name fixes it.
     */
    static Integer keySize(String cipherSuite) {
        if (cipherSuite.contains("AES_256") || cipherSuite.contains("CHACHA20")) {
            return 256;
        }
        if (cipherSuite.contains("AES_128")) {
            return 128;
        }
        if (cipherSuite.contains("3DES")) {
            return 168;
        }
        return null;
    }
}
