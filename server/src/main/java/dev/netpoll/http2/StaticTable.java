package dev.netpoll.http2;

import java.util.HashMap;
import java.util.Map;

/**
 * HPACK's static table (RFC 7541 Appendix A): 61 fields every peer knows, indexes 1 to 61.
 * Immutable.
 */
final class StaticTable {

    static final int SIZE = 61;

    private static final String[][] ENTRIES = {
        {":authority", ""}, {":method", "GET"}, {":method", "POST"}, {":path", "/"}, {":path", "/index.html"},
        {":scheme", "http"}, {":scheme", "https"}, {":status", "200"}, {":status", "204"}, {":status", "206"},
        {":status", "304"}, {":status", "400"}, {":status", "404"}, {":status", "500"}, {"accept-charset", ""},
        {"accept-encoding", "gzip, deflate"}, {"accept-language", ""}, {"accept-ranges", ""}, {"accept", ""},
        {"access-control-allow-origin", ""}, {"age", ""}, {"allow", ""}, {"authorization", ""},
        {"cache-control", ""}, {"content-disposition", ""}, {"content-encoding", ""}, {"content-language", ""},
        {"content-length", ""}, {"content-location", ""}, {"content-range", ""}, {"content-type", ""},
        {"cookie", ""}, {"date", ""}, {"etag", ""}, {"expect", ""}, {"expires", ""}, {"from", ""}, {"host", ""},
        {"if-match", ""}, {"if-modified-since", ""}, {"if-none-match", ""}, {"if-range", ""},
        {"if-unmodified-since", ""}, {"last-modified", ""}, {"link", ""}, {"location", ""}, {"max-forwards", ""},
        {"proxy-authenticate", ""}, {"proxy-authorization", ""}, {"range", ""}, {"referer", ""}, {"refresh", ""},
        {"retry-after", ""}, {"server", ""}, {"set-cookie", ""}, {"strict-transport-security", ""},
        {"transfer-encoding", ""}, {"user-agent", ""}, {"vary", ""}, {"via", ""}, {"www-authenticate", ""},
    };

    /** The lowest index of each name, for the encoder. */
    private static final Map<String, Integer> NAME_INDEX = new HashMap<>();

    static {
        for (int i = ENTRIES.length - 1; i >= 0; i--) {
            NAME_INDEX.put(ENTRIES[i][0], i + 1);
        }
    }

    private StaticTable() {
    }

    /** Name at {@code index}, 1 to {@link #SIZE}. */
    static String name(int index) {
        return ENTRIES[index - 1][0];
    }

    static String value(int index) {
        return ENTRIES[index - 1][1];
    }

    /** Index of the first entry named {@code name} (lower case), or 0. */
    static int indexOf(String name) {
        Integer index = NAME_INDEX.get(name);
        return index == null ? 0 : index;
    }
}
