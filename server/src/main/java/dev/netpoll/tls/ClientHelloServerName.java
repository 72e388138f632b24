package dev.netpoll.tls;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Finds the host name a client asks for (SNI, RFC 6066 section 3) in its ClientHello before any
 * engine exists, so that the certificate's {@code SSLContext} can be chosen per connection: the
 * JDK's engine cannot switch contexts mid-handshake. Reads the first TLS record only; a hello
 * split over several records (not seen from real clients, whose hellos are far below the 16 KiB
 * record limit) counts as no name, and the default certificate is served.
 */
final class ClientHelloServerName {

    private static final int HANDSHAKE_CLIENT_HELLO = 1;
    private static final int EXTENSION_SERVER_NAME = 0;
    private static final int NAME_TYPE_HOST_NAME = 0;

    private ClientHelloServerName() {
    }

    /**
     * The host name in the ClientHello that starts at {@code record}'s position (a whole TLS
     * record: 5-byte header and body), lower-cased; null if there is none or the hello is
     * malformed (the engine then refuses it with the right alert). Does not move the position.
     */
    static String find(ByteBuffer record) {
        ByteBuffer b = record.duplicate();
        try {
            b.position(b.position() + 5); // content type, legacy version, length (RFC 8446 section 5.1)
            if ((b.get() & 0xFF) != HANDSHAKE_CLIENT_HELLO) {
                return null;
            }
            skip(b, 3 + 2 + 32); // handshake length, legacy_version, random (section 4.1.2)
            skip(b, b.get() & 0xFF); // legacy_session_id
            skip(b, b.getShort() & 0xFFFF); // cipher_suites
            skip(b, b.get() & 0xFF); // legacy_compression_methods
            if (!b.hasRemaining()) {
                return null; // no extensions
            }
            int extensionsEnd = (b.getShort() & 0xFFFF) + b.position();
            while (b.position() + 4 <= extensionsEnd) {
                int type = b.getShort() & 0xFFFF;
                int length = b.getShort() & 0xFFFF;
                if (type != EXTENSION_SERVER_NAME) {
                    skip(b, length);
                    continue;
                }
                int listEnd = (b.getShort() & 0xFFFF) + b.position();
                while (b.position() + 3 <= listEnd) {
                    int nameType = b.get() & 0xFF;
                    int nameLength = b.getShort() & 0xFFFF;
                    if (nameType == NAME_TYPE_HOST_NAME) {
                        byte[] name = new byte[nameLength];
                        b.get(name);
                        return new String(name, StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
                    }
                    skip(b, nameLength);
                }
                return null;
            }
            return null;
        } catch (RuntimeException e) {
            return null; // truncated or malformed: no name
        }
    }

    private static void skip(ByteBuffer b, int n) {
        b.position(b.position() + n);
    }
}
