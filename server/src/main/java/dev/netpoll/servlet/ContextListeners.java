package dev.netpoll.servlet;

import jakarta.servlet.ServletContextAttributeListener;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRequestAttributeListener;
import jakarta.servlet.ServletRequestListener;
import jakarta.servlet.http.HttpSessionAttributeListener;
import jakarta.servlet.http.HttpSessionIdListener;
import jakarta.servlet.http.HttpSessionListener;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EventListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The context's listeners sorted by the events they hear (session listeners go to the
 * {@link SessionStore}): added on the thread that initializes the context, where context listeners
 * also hear their events; the lists that request tasks read are copy-on-write.
 */
final class ContextListeners {

    private final SessionStore sessions;
    private final List<ServletContextListener> contextListeners = new ArrayList<>();
    private final List<ServletContextAttributeListener> attributeListeners = new CopyOnWriteArrayList<>();
    private final List<ServletRequestListener> requestListeners = new CopyOnWriteArrayList<>();
    private final List<ServletRequestAttributeListener> requestAttributeListeners = new CopyOnWriteArrayList<>();

    ContextListeners(SessionStore sessions) {
        this.sessions = sessions;
    }

    /** Adds {@code listener} to every kind it implements; fails if it implements none. */
    void add(EventListener listener) {
        boolean known = false;
        if (listener instanceof ServletContextListener l) {
            contextListeners.add(l);
            known = true;
        }
        if (listener instanceof ServletContextAttributeListener l) {
            attributeListeners.add(l);
            known = true;
        }
        if (listener instanceof ServletRequestListener l) {
            requestListeners.add(l);
            known = true;
        }
        if (listener instanceof ServletRequestAttributeListener l) {
            requestAttributeListeners.add(l);
            known = true;
        }
        if (listener instanceof HttpSessionListener
                || listener instanceof HttpSessionAttributeListener
                || listener instanceof HttpSessionIdListener) {
            sessions.addListener(listener);
            known = true;
        }
        if (!known) {
            throw new IllegalArgumentException("unsupported listener type " + listener.getClass().getName());
        }
    }

    /** Tells the context listeners, in registration order; those they add now are not told. */
    void contextInitialized(ServletContextEvent event) {
        for (ServletContextListener listener : List.copyOf(contextListeners)) {
            listener.contextInitialized(event);
        }
    }

    /** Tells the context listeners, in reverse registration order. */
    void contextDestroyed(ServletContextEvent event) {
        List<ServletContextListener> reversed = new ArrayList<>(contextListeners);
        Collections.reverse(reversed);
        for (ServletContextListener listener : reversed) {
            listener.contextDestroyed(event);
        }
    }

    List<ServletContextAttributeListener> attributeListeners() {
        return attributeListeners;
    }

    List<ServletRequestListener> requestListeners() {
        return requestListeners;
    }

    List<ServletRequestAttributeListener> requestAttributeListeners() {
        return requestAttributeListeners;
    }
}
