package dev.netpoll.servlet;

import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.ServletSecurityElement;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A servlet registered with the context: its registration (mappings, init parameters,
 * load-on-startup, async support, multipart config) and the instance, created and initialized on
 * first use unless loaded on startup. Registration methods run during context initialization;
 * {@link #servlet()} may be called by many request tasks at once.
 */
final class ServletEntry extends RegistrationEntry implements ServletRegistration.Dynamic, ServletConfig {

    private final Set<String> mappings = new LinkedHashSet<>();
    private final ReentrantLock initLock = new ReentrantLock();
    private final Class<? extends Servlet> servletType;
    private volatile Servlet instance;
    private volatile boolean initialized;
    /** The container's own default servlet: its "/" mapping yields to an application servlet. */
    private boolean overridable;
    private int loadOnStartup = -1;
    private boolean asyncSupported;
    private MultipartConfigElement multipartConfig;
    private String runAsRole;

    ServletEntry(String name, Servlet instance, Class<? extends Servlet> type, NetpollServletContext context) {
        super(name, instance != null ? instance.getClass() : type, context);
        this.instance = instance;
        this.servletType = instance != null ? instance.getClass() : type;
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
                    instance = context.createServlet(servletType);
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
    public String getServletName() {
        return name;
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
