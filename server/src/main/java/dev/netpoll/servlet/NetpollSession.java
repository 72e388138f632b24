package dev.netpoll.servlet;

import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpSessionAttributeListener;
import jakarta.servlet.http.HttpSessionBindingEvent;
import jakarta.servlet.http.HttpSessionBindingListener;
import java.io.Serializable;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An in-memory HTTP session. Used by the requests of one client, possibly at once, and by the
 * store's expiry task: attributes are concurrent, the times and the id are volatile, and
 * {@code valid} only ever goes from true to false.
 */
final class NetpollSession implements HttpSession {

    private final SessionStore store;
    private final long creationTime;
    private final Map<String, Object> attributes = new ConcurrentHashMap<>();
    private volatile String id;
    private volatile long lastAccessedTime;
    private volatile long thisAccessTime;
    private volatile int maxInactiveSeconds;
    private volatile boolean isNew = true;
    private volatile boolean valid = true;

    NetpollSession(SessionStore store, String id, long now, int maxInactiveSeconds) {
        this.store = store;
        this.id = id;
        this.creationTime = now;
        this.lastAccessedTime = now;
        this.thisAccessTime = now;
        this.maxInactiveSeconds = maxInactiveSeconds;
    }

    /** A request of this session's client arrived. */
    void access(long now) {
        lastAccessedTime = thisAccessTime;
        thisAccessTime = now;
        isNew = false;
    }

    boolean expired(long now) {
        int max = maxInactiveSeconds;
        return max > 0 && now - thisAccessTime > max * 1000L;
    }

    boolean isValid() {
        return valid;
    }

    void changeId(String newId) {
        id = newId;
    }

    private void checkValid(String method) {
        if (!valid) {
            throw new IllegalStateException(method + ": the session was invalidated");
        }
    }

    @Override
    public long getCreationTime() {
        checkValid("getCreationTime");
        return creationTime;
    }

    @Override
    public String getId() {
        return id;
    }

    @Override
    public long getLastAccessedTime() {
        checkValid("getLastAccessedTime");
        return lastAccessedTime;
    }

    @Override
    public ServletContext getServletContext() {
        return store.context();
    }

    @Override
    public void setMaxInactiveInterval(int interval) {
        maxInactiveSeconds = interval;
    }

    @Override
    public int getMaxInactiveInterval() {
        return maxInactiveSeconds;
    }

    @Override
    public Object getAttribute(String name) {
        checkValid("getAttribute");
        return attributes.get(name);
    }

    @Override
    public Enumeration<String> getAttributeNames() {
        checkValid("getAttributeNames");
        return Collections.enumeration(attributes.keySet());
    }

    @Override
    public void setAttribute(String name, Object value) {
        checkValid("setAttribute");
        if (name == null) {
            throw new IllegalArgumentException("attribute name must not be null");
        }
        if (value == null) {
            removeAttribute(name);
            return;
        }
        if (value instanceof HttpSessionBindingListener binding) {
            binding.valueBound(new HttpSessionBindingEvent(this, name, value));
        }
        Object old = attributes.put(name, value);
        if (old instanceof HttpSessionBindingListener binding && old != value) {
            binding.valueUnbound(new HttpSessionBindingEvent(this, name, old));
        }
        for (HttpSessionAttributeListener listener : store.attributeListeners()) {
            if (old == null) {
                listener.attributeAdded(new HttpSessionBindingEvent(this, name, value));
            } else {
                listener.attributeReplaced(new HttpSessionBindingEvent(this, name, old));
            }
        }
    }

    @Override
    public void removeAttribute(String name) {
        checkValid("removeAttribute");
        Object old = attributes.remove(name);
        if (old != null) {
            unbound(name, old);
        }
    }

    private void unbound(String name, Object old) {
        if (old instanceof HttpSessionBindingListener binding) {
            binding.valueUnbound(new HttpSessionBindingEvent(this, name, old));
        }
        for (HttpSessionAttributeListener listener : store.attributeListeners()) {
            listener.attributeRemoved(new HttpSessionBindingEvent(this, name, old));
        }
    }

    @Override
    public void invalidate() {
        checkValid("invalidate");
        store.invalidate(this);
    }

    /** Called by the store once: ends the session and unbinds its attributes. */
    void end() {
        valid = false;
        for (String name : Map.copyOf(attributes).keySet()) {
            Object old = attributes.remove(name);
            if (old != null) {
                unbound(name, old);
            }
        }
    }

    @Override
    public boolean isNew() {
        checkValid("isNew");
        return isNew;
    }

    /** The serializable part of this session, for a persistent store. */
    Map<String, Object> snapshot() {
        Map<String, Object> state = new HashMap<>();
        state.put("id", id);
        state.put("creationTime", creationTime);
        state.put("lastAccessedTime", thisAccessTime);
        state.put("maxInactiveSeconds", maxInactiveSeconds);
        Map<String, Object> kept = new HashMap<>();
        attributes.forEach((k, v) -> {
            if (v instanceof Serializable) {
                kept.put(k, v);
            }
        });
        state.put("attributes", kept);
        return state;
    }

    @SuppressWarnings("unchecked")
    static NetpollSession restore(SessionStore store, Map<String, Object> state) {
        var session = new NetpollSession(store, (String) state.get("id"), (Long) state.get("creationTime"),
                (Integer) state.get("maxInactiveSeconds"));
        session.thisAccessTime = (Long) state.get("lastAccessedTime");
        session.lastAccessedTime = session.thisAccessTime;
        session.isNew = false;
        session.attributes.putAll((Map<String, Object>) state.get("attributes"));
        return session;
    }
}
