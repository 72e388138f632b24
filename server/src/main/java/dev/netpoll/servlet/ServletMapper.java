package dev.netpoll.servlet;

import jakarta.servlet.http.MappingMatch;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Servlet URL-pattern matching, Servlet 6.1 section 12.1: exact match first, then the longest
 * {@code /prefix/*} match, then {@code *.ext}, then the default servlet ({@code /}); {@code ""}
 * maps the context root exactly. Rebuilt whenever a mapping is added (only during
 * initialization), read by request tasks: the maps are replaced, never changed in place.
 */
final class ServletMapper {

    /** Where a path landed: the servlet, how it matched, and the path split it implies. */
    record Match(ServletEntry servlet, MappingMatch kind, String pattern, String servletPath, String pathInfo,
            String matchValue) {
    }

    private volatile Map<String, ServletEntry> exact = Map.of();
    private volatile List<Map.Entry<String, ServletEntry>> prefixes = List.of();
    private volatile Map<String, ServletEntry> extensions = Map.of();
    private volatile ServletEntry defaultServlet;
    private volatile ServletEntry contextRoot;

    /** Adds {@code pattern} for {@code servlet}; returns false if another servlet has it. */
    synchronized boolean add(String pattern, ServletEntry servlet) {
        if (owner(pattern) != null) {
            return false;
        }
        if (pattern.isEmpty()) {
            contextRoot = servlet;
        } else if (pattern.equals("/")) {
            defaultServlet = servlet;
        } else if (pattern.startsWith("*.")) {
            var copy = new HashMap<>(extensions);
            copy.put(pattern.substring(2), servlet);
            extensions = copy;
        } else if (pattern.endsWith("/*") && pattern.startsWith("/")) {
            var copy = new ArrayList<>(prefixes);
            copy.add(Map.entry(pattern.substring(0, pattern.length() - 2), servlet));
            copy.sort((a, b) -> b.getKey().length() - a.getKey().length());
            prefixes = copy;
        } else if (pattern.startsWith("/")) {
            var copy = new HashMap<>(exact);
            copy.put(pattern, servlet);
            exact = copy;
        } else {
            throw new IllegalArgumentException("invalid servlet URL pattern '" + pattern + "'");
        }
        return true;
    }

    /** Removes {@code pattern}, so that another servlet can take it (the container default's "/"). */
    synchronized void remove(String pattern) {
        if (pattern.isEmpty()) {
            contextRoot = null;
        } else if (pattern.equals("/")) {
            defaultServlet = null;
        } else if (pattern.startsWith("*.")) {
            var copy = new HashMap<>(extensions);
            copy.remove(pattern.substring(2));
            extensions = copy;
        } else if (pattern.endsWith("/*")) {
            var copy = new ArrayList<>(prefixes);
            copy.removeIf(e -> e.getKey().equals(pattern.substring(0, pattern.length() - 2)));
            prefixes = copy;
        } else {
            var copy = new HashMap<>(exact);
            copy.remove(pattern);
            exact = copy;
        }
    }

    /** The servlet a pattern is mapped to, or null. */
    ServletEntry owner(String pattern) {
        if (pattern.isEmpty()) {
            return contextRoot;
        }
        if (pattern.equals("/")) {
            return defaultServlet;
        }
        if (pattern.startsWith("*.")) {
            return extensions.get(pattern.substring(2));
        }
        if (pattern.endsWith("/*")) {
            String prefix = pattern.substring(0, pattern.length() - 2);
            for (var entry : prefixes) {
                if (entry.getKey().equals(prefix)) {
                    return entry.getValue();
                }
            }
            return null;
        }
        return exact.get(pattern);
    }

    /** Maps a decoded path within the context ({@code "/"} at least); null if nothing matches. */
    Match match(String path) {
        if (path.equals("/") && contextRoot != null) {
            return new Match(contextRoot, MappingMatch.CONTEXT_ROOT, "", "", "/", "");
        }
        ServletEntry servlet = exact.get(path);
        if (servlet != null) {
            return new Match(servlet, MappingMatch.EXACT, path, path, null, path.substring(1));
        }
        for (var entry : prefixes) {
            String prefix = entry.getKey();
            if (path.equals(prefix) || path.startsWith(prefix) && path.charAt(prefix.length()) == '/') {
                String pathInfo = path.length() > prefix.length() ? path.substring(prefix.length()) : null;
                String value = pathInfo == null ? "" : pathInfo.substring(1);
                return new Match(entry.getValue(), MappingMatch.PATH, prefix + "/*", prefix, pathInfo, value);
            }
        }
        int slash = path.lastIndexOf('/');
        int dot = path.lastIndexOf('.');
        if (dot > slash) {
            servlet = extensions.get(path.substring(dot + 1));
            if (servlet != null) {
                return new Match(servlet, MappingMatch.EXTENSION, "*." + path.substring(dot + 1), path, null,
                        path.substring(1, dot));
            }
        }
        if (defaultServlet != null) {
            return new Match(defaultServlet, MappingMatch.DEFAULT, "/", path, null, "");
        }
        return null;
    }
}
