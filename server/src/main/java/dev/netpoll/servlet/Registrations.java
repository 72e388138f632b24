package dev.netpoll.servlet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.Servlet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The servlets and filters registered with the context, and the order in which mapped filters
 * chain: written on the thread that initializes the context, read by request tasks once it has
 * started (the chain order, which mapping calls grow, is copy-on-write).
 */
final class Registrations {

    private final NetpollServletContext context;
    private final Map<String, ServletEntry> servlets = new LinkedHashMap<>();
    private final Map<String, FilterEntry> filtersByName = new LinkedHashMap<>();
    // Mapped filters in chain order; the last matchAfterCount of them were mapped to match after.
    private final List<FilterEntry> chainOrder = new CopyOnWriteArrayList<>();
    private int matchAfterCount;

    Registrations(NetpollServletContext context) {
        this.context = context;
    }

    /** Registers a servlet given as an instance or a class; null if the name is taken. */
    ServletEntry addServlet(String name, Servlet servlet, Class<? extends Servlet> type) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("servlet name must not be empty");
        }
        if (servlets.containsKey(name)) {
            return null;
        }
        var entry = new ServletEntry(name, servlet, type, context);
        servlets.put(name, entry);
        return entry;
    }

    /** Registers a filter given as an instance or a class; null if the name is taken. */
    FilterEntry addFilter(String name, Filter filter, Class<? extends Filter> type) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("filter name must not be empty");
        }
        if (filtersByName.containsKey(name)) {
            return null;
        }
        var entry = new FilterEntry(name, filter, type, context);
        filtersByName.put(name, entry);
        return entry;
    }

    ServletEntry servlet(String name) {
        return servlets.get(name);
    }

    FilterEntry filter(String name) {
        return filtersByName.get(name);
    }

    /** The servlets by name, in registration order; a read-only view. */
    Map<String, ServletEntry> servlets() {
        return Collections.unmodifiableMap(servlets);
    }

    /** The filters by name, mapped or not, in registration order; a read-only view. */
    Map<String, FilterEntry> filters() {
        return Collections.unmodifiableMap(filtersByName);
    }

    /**
     * Orders a newly mapped filter: those mapped with {@code isMatchAfter=false} come first, in
     * registration order, then those mapped to match after (Servlet 6.1 section 4.4.2.2).
     */
    void filterMapped(FilterEntry filter, boolean isMatchAfter) {
        if (chainOrder.contains(filter)) {
            return;
        }
        if (isMatchAfter) {
            chainOrder.add(filter);
            matchAfterCount++;
        } else {
            chainOrder.add(chainOrder.size() - matchAfterCount, filter);
        }
    }

    /** The servlets that load on startup, in their load-on-startup order. */
    List<ServletEntry> loadedOnStartup() {
        List<ServletEntry> eager = new ArrayList<>();
        for (ServletEntry servlet : servlets.values()) {
            if (servlet.loadOnStartup() >= 0) {
                eager.add(servlet);
            }
        }
        eager.sort((a, b) -> Integer.compare(a.loadOnStartup(), b.loadOnStartup()));
        return eager;
    }

    /** Destroys the servlets, then the filters, that were initialized. */
    void destroy() {
        for (ServletEntry servlet : servlets.values()) {
            servlet.destroy();
        }
        for (FilterEntry filter : filtersByName.values()) {
            filter.destroy();
        }
    }

    /** The filters of one dispatch, in chain order, and whether they and the servlet all support async. */
    record Chain(List<Filter> filters, boolean asyncSupported) {
    }

    /**
     * One pass over the filter mappings for a dispatch to {@code servlet}: its chain and its async
     * support (which only a request's first dispatch records; forwards, includes and error pages
     * use the chain alone).
     */
    Chain chainFor(DispatcherType type, String path, ServletEntry servlet) {
        List<Filter> filters = null;
        boolean async = servlet.asyncSupported();
        for (FilterEntry filter : chainOrder) {
            if (filter.matches(type, path, servlet.getName())) {
                if (filters == null) {
                    filters = new ArrayList<>();
                }
                filters.add(filter.filter());
                async &= filter.asyncSupported();
            }
        }
        return new Chain(filters == null ? List.of() : filters, async);
    }
}
