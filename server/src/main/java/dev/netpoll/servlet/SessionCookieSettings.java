package dev.netpoll.servlet;

import jakarta.servlet.SessionCookieConfig;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** The session cookie's settings, written while the context initializes (Spring Boot's session properties). */
final class SessionCookieSettings implements SessionCookieConfig {

    private final NetpollServletContext context;
    private final Map<String, String> attributes = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private String name = "JSESSIONID";

    SessionCookieSettings(NetpollServletContext context) {
        this.context = context;
        // HttpOnly unless configured otherwise, as Tomcat does: scripts have no business with it.
        attributes.put("HttpOnly", "");
    }

    /**
     * The Set-Cookie for session {@code id}; path defaults to the context path. A session begun
     * over HTTPS gets {@code Secure} whatever the settings say, as on Tomcat: its id must not
     * travel over plain HTTP later, where anyone on the path could take the session.
     */
    jakarta.servlet.http.Cookie cookie(String id, String contextPath, boolean secureRequest) {
        var cookie = new jakarta.servlet.http.Cookie(name, id);
        cookie.setPath(contextPath.isEmpty() ? "/" : contextPath);
        attributes.forEach(cookie::setAttribute);
        if (secureRequest) {
            cookie.setSecure(true);
        }
        return cookie;
    }

    @Override
    public void setName(String value) {
        context.checkInitializing();
        name = value;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public void setDomain(String domain) {
        setAttribute("Domain", domain);
    }

    @Override
    public String getDomain() {
        return attributes.get("Domain");
    }

    @Override
    public void setPath(String path) {
        setAttribute("Path", path);
    }

    @Override
    public String getPath() {
        return attributes.get("Path");
    }

    @Override
    @SuppressWarnings("removal")
    public void setComment(String comment) {
    }

    @Override
    @SuppressWarnings("removal")
    public String getComment() {
        return null;
    }

    @Override
    public void setHttpOnly(boolean httpOnly) {
        setAttribute("HttpOnly", httpOnly ? "" : null);
    }

    @Override
    public boolean isHttpOnly() {
        return attributes.containsKey("HttpOnly");
    }

    @Override
    public void setSecure(boolean secure) {
        setAttribute("Secure", secure ? "" : null);
    }

    @Override
    public boolean isSecure() {
        return attributes.containsKey("Secure");
    }

    @Override
    public void setMaxAge(int maxAge) {
        setAttribute("Max-Age", String.valueOf(maxAge));
    }

    @Override
    public int getMaxAge() {
        String value = attributes.get("Max-Age");
        return value == null ? -1 : Integer.parseInt(value);
    }

    @Override
    public void setAttribute(String attribute, String value) {
        context.checkInitializing();
        if (value == null) {
            attributes.remove(attribute);
        } else {
            attributes.put(attribute, value);
        }
    }

    @Override
    public String getAttribute(String attribute) {
        return attributes.get(attribute);
    }

    @Override
    public Map<String, String> getAttributes() {
        return Collections.unmodifiableMap(attributes);
    }
}
