package dev.netpoll.servlet;

import java.util.Collections;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The init parameters of a servlet or filter registration, with the rules both share (Servlet 6.1
 * {@code Registration}): no null names or values, no overwriting, and only while the context
 * initializes. Written during initialization, read-only afterwards.
 */
final class InitParameters {

    private final NetpollServletContext context;
    private final Map<String, String> values = new LinkedHashMap<>();

    InitParameters(NetpollServletContext context) {
        this.context = context;
    }

    boolean set(String name, String value) {
        if (name == null || value == null) {
            throw new IllegalArgumentException("init parameter name and value must not be null");
        }
        context.checkInitializing();
        return values.putIfAbsent(name, value) == null;
    }

    /** Sets all of {@code parameters}, or none if any is set already; returns the conflicting names. */
    Set<String> setAll(Map<String, String> parameters) {
        Set<String> conflicts = new HashSet<>();
        for (String name : parameters.keySet()) {
            if (values.containsKey(name)) {
                conflicts.add(name);
            }
        }
        if (conflicts.isEmpty()) {
            parameters.forEach(this::set);
        }
        return conflicts;
    }

    String get(String name) {
        return values.get(name);
    }

    Enumeration<String> names() {
        return Collections.enumeration(values.keySet());
    }

    Map<String, String> asMap() {
        return Collections.unmodifiableMap(values);
    }
}
