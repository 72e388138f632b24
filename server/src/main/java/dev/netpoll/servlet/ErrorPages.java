package dev.netpoll.servlet;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where errors are forwarded: by status, by exception type (the nearest superclass wins), or the
 * global page (Spring Boot registers one global page, {@code /error}). Set while the server is
 * built, read by request tasks.
 */
public final class ErrorPages {

    private final Map<Integer, String> byStatus = new ConcurrentHashMap<>();
    private final Map<Class<?>, String> byException = new ConcurrentHashMap<>();
    private volatile String global;

    public void addForStatus(int status, String path) {
        byStatus.put(status, path);
    }

    public void addForException(Class<? extends Throwable> type, String path) {
        byException.put(type, path);
    }

    public void setGlobal(String path) {
        global = path;
    }

    String forStatus(int status) {
        String path = byStatus.get(status);
        return path != null ? path : global;
    }

    String forException(Throwable failure) {
        for (Class<?> type = failure.getClass(); type != null; type = type.getSuperclass()) {
            String path = byException.get(type);
            if (path != null) {
                return path;
            }
        }
        return forStatus(500);
    }
}
