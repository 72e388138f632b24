package dev.netpoll.servlet;

import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestAttributeEvent;
import jakarta.servlet.ServletRequestAttributeListener;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The attributes of one request, each change told to the context's request attribute listeners
 * on the thread that made it: used by whichever thread holds the request (its connection's task,
 * or an application thread during async work), one at a time, so the map is a plain one.
 */
final class RequestAttributes {

    private final NetpollServletContext context;
    private final ServletRequest request;
    /**
     * Sized for what Spring MVC sets on one request (18 attributes on a plain {@code @GetMapping},
     * counted with a debugger): a default-sized map grows once per request, at the 13th.
     */
    private final Map<String, Object> attributes = new HashMap<>(32);

    RequestAttributes(NetpollServletContext context, ServletRequest request) {
        this.context = context;
        this.request = request;
    }

    Object get(String name) {
        return attributes.get(name);
    }

    /** A copy of the names, so a caller may change attributes while it walks them. */
    List<String> names() {
        return new ArrayList<>(attributes.keySet());
    }

    /** Sets or, for a null {@code value}, removes an attribute (ServletRequest.setAttribute). */
    void set(String name, Object value) {
        if (name == null) {
            throw new IllegalArgumentException("attribute name must not be null");
        }
        if (value == null) {
            remove(name);
            return;
        }
        Object old = attributes.put(name, value);
        for (ServletRequestAttributeListener listener : context.requestAttributeListeners()) {
            var event = new ServletRequestAttributeEvent(context, request, name, old == null ? value : old);
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
            for (ServletRequestAttributeListener listener : context.requestAttributeListeners()) {
                listener.attributeRemoved(new ServletRequestAttributeEvent(context, request, name, old));
            }
        }
    }
}
