package dev.netpoll.servlet;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextAttributeEvent;
import jakarta.servlet.ServletContextAttributeListener;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The context's attributes, each change told to the attribute listeners on the thread that made
 * it: any thread may read or write them, the map is concurrent.
 */
final class ContextAttributes {

    private final ServletContext context;
    private final List<ServletContextAttributeListener> listeners;
    private final Map<String, Object> attributes = new ConcurrentHashMap<>();

    ContextAttributes(ServletContext context, List<ServletContextAttributeListener> listeners) {
        this.context = context;
        this.listeners = listeners;
    }

    Object get(String name) {
        return attributes.get(name);
    }

    Enumeration<String> names() {
        return Collections.enumeration(attributes.keySet());
    }

    /** Sets or, for a null {@code object}, removes an attribute (ServletContext.setAttribute). */
    void set(String name, Object object) {
        if (name == null) {
            throw new NullPointerException("attribute name must not be null");
        }
        if (object == null) {
            remove(name);
            return;
        }
        Object old = attributes.put(name, object);
        for (ServletContextAttributeListener listener : listeners) {
            var event = new ServletContextAttributeEvent(context, name, old == null ? object : old);
            if (old == null) {
                listener.attributeAdded(event);
            } else {
                listener.attributeReplaced(event);
            }
        }
    }

    void remove(String name) {
        Object old = attributes.remove(name);
        if (old != null) {
            for (ServletContextAttributeListener listener : listeners) {
                listener.attributeRemoved(new ServletContextAttributeEvent(context, name, old));
            }
        }
    }
}
