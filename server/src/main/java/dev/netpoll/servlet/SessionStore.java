package dev.netpoll.servlet;

import jakarta.servlet.http.HttpSessionAttributeListener;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionIdListener;
import jakarta.servlet.http.HttpSessionListener;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The context's sessions, in memory. Ids are 128 random bits from {@link SecureRandom}. A
 * background task (a virtual thread that sleeps) invalidates sessions idle longer than their
 * maximum; with a store directory set ({@code server.servlet.session.persistent}), serializable
 * sessions are written there on stop and read back on start. Thread-safe.
 */
final class SessionStore {

    private static final System.Logger LOG = System.getLogger(SessionStore.class.getName());
    private static final String FILE = "netpoll-sessions.ser";

    private final NetpollServletContext context;
    private final Map<String, NetpollSession> sessions = new ConcurrentHashMap<>();
    private final List<HttpSessionListener> listeners = new CopyOnWriteArrayList<>();
    private final List<HttpSessionAttributeListener> attributeListeners = new CopyOnWriteArrayList<>();
    private final List<HttpSessionIdListener> idListeners = new CopyOnWriteArrayList<>();
    private final SecureRandom random = new SecureRandom();
    private volatile Path storeDirectory;
    private volatile Thread expiry;
    private volatile long sweepMillis = 30_000;

    SessionStore(NetpollServletContext context) {
        this.context = context;
    }

    NetpollServletContext context() {
        return context;
    }

    List<HttpSessionAttributeListener> attributeListeners() {
        return attributeListeners;
    }

    void addListener(Object listener) {
        if (listener instanceof HttpSessionListener l) {
            listeners.add(l);
        }
        if (listener instanceof HttpSessionAttributeListener l) {
            attributeListeners.add(l);
        }
        if (listener instanceof HttpSessionIdListener l) {
            idListeners.add(l);
        }
    }

    void setStoreDirectory(Path directory) {
        storeDirectory = directory;
    }

    /** How often the expiry task looks; the default is 30 s. */
    void setSweepMillis(long millis) {
        sweepMillis = millis;
    }

    private String newId() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return HexFormat.of().withUpperCase().formatHex(bytes);
    }

    /** A valid session with {@code id}, marked accessed; null if none or expired. */
    NetpollSession find(String id, long now) {
        if (id == null) {
            return null;
        }
        NetpollSession session = sessions.get(id);
        if (session == null) {
            return null;
        }
        if (session.expired(now)) {
            invalidate(session);
            return null;
        }
        return session;
    }

    NetpollSession create(long now) {
        var session = new NetpollSession(this, newId(), now, context.getSessionTimeout() * 60);
        sessions.put(session.getId(), session);
        var event = new HttpSessionEvent(session);
        for (HttpSessionListener listener : listeners) {
            listener.sessionCreated(event);
        }
        return session;
    }

    String changeId(NetpollSession session) {
        String old = session.getId();
        String id = newId();
        sessions.remove(old);
        session.changeId(id);
        sessions.put(id, session);
        var event = new HttpSessionEvent(session);
        for (HttpSessionIdListener listener : idListeners) {
            listener.sessionIdChanged(event, old);
        }
        return id;
    }

    void invalidate(NetpollSession session) {
        if (sessions.remove(session.getId(), session)) {
            var event = new HttpSessionEvent(session);
            for (HttpSessionListener listener : listeners) {
                listener.sessionDestroyed(event);
            }
            session.end();
        }
    }

    int size() {
        return sessions.size();
    }

    /** Reads persisted sessions and starts the expiry task. */
    void start() {
        load();
        expiry = Thread.ofVirtual().name("netpoll-session-expiry").start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(sweepMillis);
                } catch (InterruptedException e) {
                    return;
                }
                long now = System.currentTimeMillis();
                for (NetpollSession session : sessions.values()) {
                    if (session.expired(now)) {
                        invalidate(session);
                    }
                }
            }
        });
    }

    /** Stops the expiry task and persists the sessions if a store directory is set. */
    void stop() {
        Thread task = expiry;
        if (task != null) {
            task.interrupt();
        }
        save();
    }

    private void save() {
        Path directory = storeDirectory;
        if (directory == null) {
            return;
        }
        List<Map<String, Object>> states = new ArrayList<>();
        for (NetpollSession session : sessions.values()) {
            states.add(session.snapshot());
        }
        try {
            Files.createDirectories(directory);
            try (var out = new ObjectOutputStream(Files.newOutputStream(directory.resolve(FILE)))) {
                out.writeObject(states);
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "could not persist sessions to " + directory + ": " + e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private void load() {
        Path directory = storeDirectory;
        if (directory == null || !Files.exists(directory.resolve(FILE))) {
            return;
        }
        Path file = directory.resolve(FILE);
        try (var in = new ObjectInputStream(Files.newInputStream(file)) {
            @Override
            protected Class<?> resolveClass(java.io.ObjectStreamClass desc) throws IOException, ClassNotFoundException {
                return Class.forName(desc.getName(), false, context.getClassLoader());
            }
        }) {
            long now = System.currentTimeMillis();
            for (Map<String, Object> state : (List<Map<String, Object>>) in.readObject()) {
                NetpollSession session = NetpollSession.restore(this, state);
                if (!session.expired(now)) {
                    sessions.put(session.getId(), session);
                }
            }
            Files.delete(file);
        } catch (IOException | ClassNotFoundException | ClassCastException e) {
            LOG.log(System.Logger.Level.WARNING, "could not restore sessions from " + file + ": " + e.getMessage());
        }
    }
}
