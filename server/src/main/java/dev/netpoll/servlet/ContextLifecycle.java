package dev.netpoll.servlet;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletException;

/**
 * The context's lifecycle, initializing → initialized → started, then stopped: it runs on one
 * thread, Spring's context thread, except {@link #checkInitializing}, which request tasks may call
 * too, hence the volatile phase flag.
 */
final class ContextLifecycle {

    private final NetpollServletContext context;
    private final ApplicationClasses classes;
    private final Registrations registrations;
    private final ContextListeners listeners;
    private final SessionStore sessions;
    private volatile boolean initializing = true;
    private boolean started;

    ContextLifecycle(NetpollServletContext context, ApplicationClasses classes, Registrations registrations,
            ContextListeners listeners, SessionStore sessions) {
        this.context = context;
        this.classes = classes;
        this.registrations = registrations;
        this.listeners = listeners;
        this.sessions = sessions;
    }

    /** Fails once registration has ended, as the specification requires of registration methods. */
    void checkInitializing() {
        if (!initializing) {
            throw new IllegalStateException("the servlet context has already been initialized");
        }
    }

    /** {@link NetpollServletContext#initialize()}: context listeners, persisted sessions, then registration ends. */
    void initialize() throws ServletException {
        if (!initializing) {
            return;
        }
        classes.runAsContextLoader(() -> listeners.contextInitialized(new ServletContextEvent(context)));
        sessions.start();
        initializing = false;
    }

    /** {@link NetpollServletContext#start()}: every filter, then the servlets that load on startup. */
    void start() throws ServletException {
        initialize();
        if (started) {
            return;
        }
        classes.runAsContextLoader(() -> {
            for (FilterEntry filter : registrations.filters().values()) {
                initComponent("filter", filter.getName(), filter::init);
            }
            for (ServletEntry servlet : registrations.loadedOnStartup()) {
                initComponent("servlet", servlet.getName(), servlet::servlet);
            }
        });
        started = true;
    }

    // The failure names the component: "filter 'faulty' failed to initialize: ...".
    private static void initComponent(String kind, String name, ApplicationClasses.Code init) throws ServletException {
        try {
            init.run();
        } catch (ServletException | RuntimeException e) {
            throw new ServletException(kind + " '" + name + "' failed to initialize: " + e.getMessage(), e);
        }
    }

    /** {@link NetpollServletContext#stop()}: servlets, filters, then context listeners in reverse order. */
    void stop() {
        // A store that never read its persisted sessions must not overwrite them with nothing.
        if (!initializing) {
            sessions.stop();
        }
        registrations.destroy();
        listeners.contextDestroyed(new ServletContextEvent(context));
    }
}
