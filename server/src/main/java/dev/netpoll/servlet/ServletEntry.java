package dev.netpoll.servlet;

import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.ServletSecurityElement;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A servlet registered with the context: its registration (mappings, init parameters,
 * load-on-startup, async support, multipart config) and the instance, created and initialized on
 * first use unless loaded on startup. Registration methods run during context initialization;
 * {@link #servlet()} may be called by many request tasks at once.
 */
final class ServletEntry implements ServletRegistration.Dynamic, ServletConfig {

    private final String name;
    private final NetpollServletContext context;
    private final Class<? extends Servlet> type;
    private final InitParameters initParameters;
    private final Set<String> mappings = new LinkedHashSet<>();
    private final ReentrantLock initLock = new ReentrantLock();
    private volatile Servlet instance;
    private volatile boolean initialized;
    /** The container's own default servlet: its "/" mapping yields to an application servlet. */
    private boolean overridable;
    private int loadOnStartup = -1;
    private boolean asyncSupported;
    private MultipartConfigElement multipartConfig;
    private String runAsRole;

    ServletEntry(String name, Servlet instance, Class<? extends Servlet> type, NetpollServletContext context) {
        this.name = name;
        this.instance = instance;
        this.type = instance != null ? instance.getClass() : type;
        this.context = context;
        this.initParameters = new InitParameters(context);
    }

    /** The initialized servlet; the first caller initializes it, the others wait. */
    Servlet servlet() throws ServletException {
        if (initialized) {
            return instance;
        }
        initLock.lock();
        try {
            if (!initialized) {
                if (instance == null) {
                    instance = context.createServlet(type);
                }
                instance.init(this);
                initialized = true;
            }
            return instance;
        } finally {
            initLock.unlock();
        }
    }

    void destroy() {
        if (initialized) {
            instance.destroy();
            initialized = false;
        }
    }

    void markOverridable() {
        overridable = true;
    }

    boolean overridable() {
        return overridable;
    }

    int loadOnStartup() {
        return loadOnStartup;
    }

    boolean asyncSupported() {
        return asyncSupported;
    }

    MultipartConfigElement multipartConfig() {
        return multipartConfig;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public String getServletName() {
        return name;
    }

    @Override
    public ServletContext getServletContext() {
        return context;
    }

    @Override
    public String getClassName() {
        return type.getName();
    }

    @Override
    public boolean setInitParameter(String key, String value) {
        return initParameters.set(key, value);
    }

    @Override
    public String getInitParameter(String key) {
        return initParameters.get(key);
    }

    @Override
    public Enumeration<String> getInitParameterNames() {
        return initParameters.names();
    }

    @Override
    public Set<String> setInitParameters(Map<String, String> parameters) {
        return initParameters.setAll(parameters);
    }

    @Override
    public Map<String, String> getInitParameters() {
        return initParameters.asMap();
    }

    @Override
    public void setAsyncSupported(boolean supported) {
        context.checkInitializing();
        asyncSupported = supported;
    }

    @Override
    public Set<String> addMapping(String... patterns) {
        context.checkInitializing();
        Set<String> conflicts = new HashSet<>();
        for (String pattern : patterns) {
            ServletEntry owner = context.mapper().owner(pattern);
            if (owner != null && owner != this && !owner.overridable()) {
                conflicts.add(pattern);
            }
        }
        if (conflicts.isEmpty()) {
            for (String pattern : patterns) {
                ServletEntry owner = context.mapper().owner(pattern);
                if (owner != null && owner != this) {
                    owner.mappings.remove(pattern);
                    context.mapper().remove(pattern);
                }
                context.mapper().add(pattern, this);
                mappings.add(pattern);
            }
        }
        return conflicts;
    }

    @Override
    public Collection<String> getMappings() {
        return Collections.unmodifiableSet(mappings);
    }

    @Override
    public String getRunAsRole() {
        return runAsRole;
    }

    @Override
    public void setLoadOnStartup(int order) {
        loadOnStartup = order;
    }

    @Override
    public Set<String> setServletSecurity(ServletSecurityElement constraint) {
        // Security constraints are Spring Security's job in a Boot application.
        return Set.of();
    }

    @Override
    public void setMultipartConfig(MultipartConfigElement config) {
        multipartConfig = config;
    }

    @Override
    public void setRunAsRole(String role) {
        runAsRole = role;
    }
}
