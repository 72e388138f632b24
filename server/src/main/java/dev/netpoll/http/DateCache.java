package dev.netpoll.http;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The {@code Date} header value (RFC 9110 section 5.6.7 IMF-fixdate), formatted at most once per
 * second. Any thread may read; a stale value is replaced by whichever thread first notices the new
 * second (a benign race: both compute the same bytes).
 */
public final class DateCache {

    private record Stamp(long second, byte[] bytes) {
    }

    private static volatile Stamp current = new Stamp(-1, new byte[0]);

    private DateCache() {
    }

    /** "Sun, 06 Nov 1994 08:49:37 GMT" as US-ASCII bytes; callers must not modify the array. */
    public static byte[] now() {
        long second = System.currentTimeMillis() / 1000;
        Stamp stamp = current;
        if (stamp.second != second) {
            String text = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                    Instant.ofEpochSecond(second).atOffset(ZoneOffset.UTC));
            // RFC_1123 prints single-digit days without padding; IMF-fixdate needs two digits.
            if (text.charAt(6) == ' ') {
                text = text.substring(0, 5) + "0" + text.substring(5);
            }
            stamp = new Stamp(second, text.getBytes(StandardCharsets.US_ASCII));
            current = stamp;
        }
        return stamp.bytes;
    }
}
