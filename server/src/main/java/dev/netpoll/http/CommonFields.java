package dev.netpoll.http;

import java.nio.charset.StandardCharsets;

/**
 * Shared strings for the field names and values that most requests carry, so that parsing them
 * allocates nothing and whatever keeps a request's fields (a WebSocket session's handshake headers
 * stay with it for its life) keeps one copy among all of them. A name or value is looked up by its
 * length, then compared byte for byte with its exact spelling: a differently cased one is a new
 * string as before, so what the application sees is what the client sent.
 */
final class CommonFields {

    private static final String[][] NAMES = byLength(
            "Accept", "Accept-Encoding", "Accept-Language", "Authorization", "Cache-Control", "Connection",
            "Content-Length", "Content-Type", "Cookie", "Expect", "Forwarded", "If-Modified-Since",
            "If-None-Match", "Origin", "Pragma", "Range", "Referer", "Sec-Fetch-Dest", "Sec-Fetch-Mode",
            "Sec-Fetch-Site", "Sec-WebSocket-Extensions", "Sec-WebSocket-Key", "Sec-WebSocket-Protocol",
            "Sec-WebSocket-Version", "Transfer-Encoding", "Upgrade", "User-Agent", "X-Forwarded-For",
            "X-Forwarded-Host", "X-Forwarded-Port", "X-Forwarded-Proto", "X-Requested-With",
            "accept", "accept-encoding", "connection", "content-length", "content-type", "user-agent",
            "upgrade");
    private static final String[][] VALUES = byLength(
            "*/*", "100-continue", "Upgrade", "application/json", "chunked", "close", "gzip", "gzip, deflate",
            "gzip, deflate, br", "gzip, deflate, br, zstd", "keep-alive", "no-cache", "websocket", "13",
            "permessage-deflate; client_max_window_bits", "same-origin", "cors", "empty");

    private CommonFields() {
    }

    /** The field name in {@code raw[start, start + length)}, which the parser has checked is a token. */
    static String name(byte[] raw, int start, int length) {
        String known = find(NAMES, raw, start, length);
        return known != null ? known : new String(raw, start, length, StandardCharsets.US_ASCII);
    }

    /** The field value in {@code raw[start, start + length)}, its bytes read as ISO-8859-1. */
    static String value(byte[] raw, int start, int length) {
        String known = find(VALUES, raw, start, length);
        return known != null ? known : new String(raw, start, length, StandardCharsets.ISO_8859_1);
    }

    private static String find(String[][] table, byte[] raw, int start, int length) {
        if (length >= table.length || table[length] == null) {
            return null;
        }
        candidates:
        for (String candidate : table[length]) {
            for (int i = 0; i < length; i++) {
                if (raw[start + i] != candidate.charAt(i)) {
                    continue candidates;
                }
            }
            return candidate;
        }
        return null;
    }

    private static String[][] byLength(String... strings) {
        int longest = 0;
        for (String s : strings) {
            longest = Math.max(longest, s.length());
        }
        String[][] table = new String[longest + 1][];
        for (String s : strings) {
            String[] row = table[s.length()];
            row = row == null ? new String[1] : java.util.Arrays.copyOf(row, row.length + 1);
            row[row.length - 1] = s;
            table[s.length()] = row;
        }
        return table;
    }
}
