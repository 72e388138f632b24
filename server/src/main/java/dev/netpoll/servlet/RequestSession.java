package dev.netpoll.servlet;

import dev.netpoll.http.HttpRequest;
import jakarta.servlet.http.Cookie;

/**
 * A request's cookies and the session they name: which session id the client sent, finding or
 * creating the session, and the cookie that tells the client a new or changed id. Used by the
 * thread that holds the request (its connection's task, or an application thread during async
 * work), one at a time; the fields are plain, the session store does its own locking.
 */
final class RequestSession {

    private final HttpRequest http;
    private final NetpollServletContext context;
    /** Whether the request came over HTTPS, to the client (TLS here, or a trusted proxy's word). */
    private final java.util.function.BooleanSupplier secure;
    // Set by the connection's task before the request is dispatched.
    private ContainerResponse response;
    private Cookie[] cookies;
    private NetpollSession session;

    RequestSession(HttpRequest http, NetpollServletContext context, java.util.function.BooleanSupplier secure) {
        this.http = http;
        this.context = context;
        this.secure = secure;
    }

    /** The response that carries the session cookie. */
    void bind(ContainerResponse servletResponse) {
        this.response = servletResponse;
    }

    /** The cookies the client sent, parsed on first use; the array is shared, callers copy it. */
    Cookie[] cookies() {
        if (cookies == null) {
            cookies = Cookies.parse(http.headers("Cookie"));
        }
        return cookies;
    }

    /**
     * The session id the client sent in the session cookie, or null: of several cookies of that
     * name, the first naming a live session, else the first.
     */
    String requestedId() {
        String name = context.getSessionCookieConfig().getName();
        String first = null;
        for (Cookie cookie : cookies()) {
            if (cookie.getName().equals(name)) {
                if (context.sessions().find(cookie.getValue(), System.currentTimeMillis()) != null) {
                    return cookie.getValue();
                }
                if (first == null) {
                    first = cookie.getValue();
                }
            }
        }
        return first;
    }

    boolean isRequestedIdValid() {
        String requested = requestedId();
        return requested != null && context.sessions().find(requested, System.currentTimeMillis()) != null;
    }

    /** HttpServletRequest.getSession: the live session, the requested one, or a new one if asked. */
    NetpollSession get(boolean create) {
        long now = System.currentTimeMillis();
        if (session != null && session.isValid()) {
            return session;
        }
        NetpollSession found = context.sessions().find(requestedId(), now);
        if (found != null) {
            found.access(now);
            session = found;
            return found;
        }
        if (!create) {
            return null;
        }
        if (response != null && response.isCommitted()) {
            throw new IllegalStateException("cannot create a session after the response was committed");
        }
        session = context.sessions().create(now);
        sendCookie();
        return session;
    }

    /** Session fixation protection: a new id for the same session, sent as a new cookie. */
    String changeId() {
        if (get(false) == null) {
            throw new IllegalStateException("changeSessionId: the request has no session");
        }
        String id = context.sessions().changeId(session);
        sendCookie();
        return id;
    }

    private void sendCookie() {
        if (response != null) {
            response.addCookie(((SessionCookieSettings) context.getSessionCookieConfig()).cookie(session.getId(),
                    context.getContextPath(), secure.getAsBoolean()));
        }
    }
}
