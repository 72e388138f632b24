package dev.netpoll.servlet;

import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The context's MIME table, extension (lower case) to type, starting from {@link MimeTypes}: written
 * while the context initializes, read by request tasks afterwards.
 */
final class MimeTable {

    private final Map<String, String> types = new HashMap<>(MimeTypes.DEFAULTS);

    /** Adds a type, or replaces the type of {@code extension}, matched case-insensitively. */
    void add(String extension, String mimeType) {
        types.put(extension.toLowerCase(Locale.ROOT), mimeType);
    }

    /** Replaces the whole table, defaults included. */
    void replaceWith(Map<String, String> mappings) {
        types.clear();
        mappings.forEach(this::add);
    }

    /** The type of {@code file} by its extension, or null. */
    String typeOf(String file) {
        if (file == null) {
            return null;
        }
        int dot = file.lastIndexOf('.');
        if (dot < 0 || dot == file.length() - 1) {
            return null;
        }
        return types.get(file.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /** The table; read-only. */
    Map<String, String> asMap() {
        return Collections.unmodifiableMap(types);
    }
}
