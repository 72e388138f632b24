package dev.netpoll.servlet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;

/**
 * A filter registered with the context: URL-pattern and servlet-name mappings per dispatcher type
 * (Servlet 6.1 section 6.2.4) and the instance, initialized when the context starts. Written during
 * initialization, read-only afterwards.
 */
final class FilterEntry extends RegistrationEntry implements FilterRegistration.Dynamic, FilterConfig {

    /** One mapping: a URL pattern or a servlet name, for some dispatcher types. */
    record Mapping(String urlPattern, String servletName, EnumSet<DispatcherType> types) {
    }

    private final List<Mapping> mappings = new ArrayList<>();
    private final Class<? extends Filter> filterType;
    private volatile Filter instance;
    // Written by the context's lifecycle thread only (start and stop).
    private boolean initialized;
    private boolean asyncSupported;

    FilterEntry(String name, Filter instance, Class<? extends Filter> type, NetpollServletContext context) {
        super(name, instance != null ? instance.getClass() : type, context);
        this.instance = instance;
        this.filterType = instance != null ? instance.getClass() : type;
    }

    /** Creates the filter if registered by class, and initializes it once. */
    void init() throws ServletException {
        if (initialized) {
            return;
        }
        if (instance == null) {
            instance = context.createFilter(filterType);
        }
        instance.init(this);
        initialized = true;
    }

    Filter filter() {
        return instance;
    }

    /** Destroys the filter if it was initialized (never one whose init failed or never ran). */
    void destroy() {
        if (initialized) {
            initialized = false;
            instance.destroy();
        }
    }

    boolean asyncSupported() {
        return asyncSupported;
    }

    /** Whether this filter applies to a dispatch of {@code type} to {@code path} on {@code servlet}. */
    boolean matches(DispatcherType type, String path, String servlet) {
        for (Mapping mapping : mappings) {
            if (!mapping.types().contains(type)) {
                continue;
            }
            if (mapping.servletName() != null) {
                if (mapping.servletName().equals("*") || mapping.servletName().equals(servlet)) {
                    return true;
                }
            } else if (urlMatches(mapping.urlPattern(), path)) {
                return true;
            }
        }
        return false;
    }

    static boolean urlMatches(String pattern, String path) {
        if (pattern.equals("/*") || pattern.equals("/")) {
            return true;
        }
        if (pattern.endsWith("/*")) {
            String prefix = pattern.substring(0, pattern.length() - 2);
            return path.equals(prefix) || path.startsWith(prefix + "/");
        }
        if (pattern.startsWith("*.")) {
            int slash = path.lastIndexOf('/');
            int dot = path.lastIndexOf('.');
            return dot > slash && path.substring(dot + 1).equals(pattern.substring(2));
        }
        return pattern.equals(path);
    }

    @Override
    public void addMappingForServletNames(EnumSet<DispatcherType> types, boolean isMatchAfter, String... servletNames) {
        context.checkInitializing();
        EnumSet<DispatcherType> effective = types == null ? EnumSet.of(DispatcherType.REQUEST) : EnumSet.copyOf(types);
        List<Mapping> added = new ArrayList<>();
        for (String servlet : servletNames) {
            added.add(new Mapping(null, servlet, effective));
        }
        add(added, isMatchAfter);
    }

    @Override
    public void addMappingForUrlPatterns(EnumSet<DispatcherType> types, boolean isMatchAfter, String... urlPatterns) {
        context.checkInitializing();
        EnumSet<DispatcherType> effective = types == null ? EnumSet.of(DispatcherType.REQUEST) : EnumSet.copyOf(types);
        List<Mapping> added = new ArrayList<>();
        for (String pattern : urlPatterns) {
            added.add(new Mapping(pattern, null, effective));
        }
        add(added, isMatchAfter);
    }

    private void add(List<Mapping> added, boolean isMatchAfter) {
        mappings.addAll(added);
        context.registrations().filterMapped(this, isMatchAfter);
    }

    @Override
    public Collection<String> getServletNameMappings() {
        return mappings.stream().map(Mapping::servletName).filter(n -> n != null).toList();
    }

    @Override
    public Collection<String> getUrlPatternMappings() {
        return mappings.stream().map(Mapping::urlPattern).filter(p -> p != null).toList();
    }

    @Override
    public String getFilterName() {
        return name;
    }

    @Override
    public void setAsyncSupported(boolean supported) {
        asyncSupported = supported;
    }
}
