package dev.netpoll.http;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Header fields in arrival order: names compared case-insensitively, repeated names kept as
 * separate entries. Parallel arrays instead of a map: requests carry a dozen fields, a linear scan
 * beats hashing, and reuse between keep-alive requests allocates nothing. Owned by one task.
 */
public final class HttpHeaders {

    private static final String[] NONE = {};

    // Allocated on the first add, dropped by release(): an idle connection holds no field arrays.
    private String[] names = NONE;
    private String[] values = NONE;
    private int size;

    public void add(String name, String value) {
        if (size == names.length) {
            names = java.util.Arrays.copyOf(names, Math.max(8, size * 2));
            values = java.util.Arrays.copyOf(values, Math.max(8, size * 2));
        }
        names[size] = name;
        values[size] = value;
        size++;
    }

    /** Replaces every field named {@code name} with one field, or removes them for null. */
    public void set(String name, String value) {
        remove(name);
        if (value != null) {
            add(name, value);
        }
    }

    public void remove(String name) {
        int kept = 0;
        for (int i = 0; i < size; i++) {
            if (!names[i].equalsIgnoreCase(name)) {
                names[kept] = names[i];
                values[kept] = values[i];
                kept++;
            }
        }
        for (int i = kept; i < size; i++) {
            names[i] = null;
            values[i] = null;
        }
        size = kept;
    }

    /** The first value of {@code name}, or null. */
    public String get(String name) {
        for (int i = 0; i < size; i++) {
            if (names[i].equalsIgnoreCase(name)) {
                return values[i];
            }
        }
        return null;
    }

    public List<String> all(String name) {
        List<String> found = null;
        for (int i = 0; i < size; i++) {
            if (names[i].equalsIgnoreCase(name)) {
                if (found == null) {
                    found = new ArrayList<>(2);
                }
                found.add(values[i]);
            }
        }
        return found == null ? Collections.emptyList() : found;
    }

    public int count(String name) {
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (names[i].equalsIgnoreCase(name)) {
                n++;
            }
        }
        return n;
    }

    public boolean contains(String name) {
        return get(name) != null;
    }

    /** True if a comma-separated value of {@code name} equals {@code token}, ignoring case. */
    public boolean containsToken(String name, String token) {
        for (int i = 0; i < size; i++) {
            if (names[i].equalsIgnoreCase(name)) {
                for (String part : values[i].split(",")) {
                    if (part.trim().equalsIgnoreCase(token)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    public Set<String> names() {
        var set = new LinkedHashSet<String>();
        for (int i = 0; i < size; i++) {
            set.add(names[i]);
        }
        return set;
    }

    public int size() {
        return size;
    }

    public String name(int index) {
        return names[index];
    }

    public String value(int index) {
        return values[index];
    }

    public void clear() {
        for (int i = 0; i < size; i++) {
            names[i] = null;
            values[i] = null;
        }
        size = 0;
    }

    /** Empties these headers and drops their arrays, for an owner about to sit idle. */
    void release() {
        names = NONE;
        values = NONE;
        size = 0;
    }
}
