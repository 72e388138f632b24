package dev.netpoll.servlet;

import jakarta.servlet.SessionTrackingMode;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * The context's session settings, the deployment descriptor's session-config (timeout, tracking
 * modes and the cookie's settings): written while the context initializes, read by request tasks.
 */
final class SessionConfig {

    private final SessionCookieSettings cookie;
    private int timeoutMinutes = 30;
    private Set<SessionTrackingMode> trackingModes = EnumSet.of(SessionTrackingMode.COOKIE);

    SessionConfig(NetpollServletContext context) {
        cookie = new SessionCookieSettings(context);
    }

    SessionCookieSettings cookie() {
        return cookie;
    }

    int timeoutMinutes() {
        return timeoutMinutes;
    }

    void setTimeoutMinutes(int minutes) {
        timeoutMinutes = minutes;
    }

    /** Only cookies are supported: SSL tracking fails, URL rewriting is accepted and never done. */
    void setTrackingModes(Set<SessionTrackingMode> modes) {
        if (modes.contains(SessionTrackingMode.SSL)) {
            throw new IllegalArgumentException("SSL session tracking is not supported");
        }
        trackingModes = modes.isEmpty() ? EnumSet.noneOf(SessionTrackingMode.class) : EnumSet.copyOf(modes);
    }

    Set<SessionTrackingMode> trackingModes() {
        return Collections.unmodifiableSet(trackingModes);
    }
}
