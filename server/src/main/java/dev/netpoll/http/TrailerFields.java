package dev.netpoll.http;

import java.util.Locale;

/**
 * Which response trailer fields may be sent, on HTTP/1.1 and HTTP/2 alike. A trailer cannot
 * carry what frames, routes or describes the message as a whole (RFC 9110 section 6.5.1): such a
 * field, a name that is not a token, or a value with CR, LF or NUL in it is dropped, since
 * sending it would change how the client reads the message or break its framing.
 */
public final class TrailerFields {

    private TrailerFields() {
    }

    public static boolean sendable(String name, String value) {
        if (name == null || name.isEmpty() || value == null) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c >= 0x7F || c == ':') {
                return false;
            }
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == 0 || c > 0xFF) {
                return false;
            }
        }
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "content-length", "transfer-encoding", "connection", "keep-alive", "proxy-connection", "upgrade",
                    "te", "trailer", "host", "content-type", "content-encoding", "content-range" -> false;
            default -> true;
        };
    }
}
