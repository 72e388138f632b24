package dev.netpoll.servlet;

import jakarta.servlet.http.Cookie;

/**
 * Decides the {@code SameSite} attribute of the cookies the container writes: the session cookie
 * and every cookie passed to {@code HttpServletResponse.addCookie}. Spring Boot's
 * {@code server.servlet.session.cookie.same-site} and {@code CookieSameSiteSupplier} beans are
 * adapted onto it.
 *
 * <p>A cookie that names its own {@code SameSite} attribute keeps it; the policy is asked only
 * about the others (Tomcat's cookie processor gives an explicit attribute the same precedence). A
 * {@code Set-Cookie} header the application writes itself is its own text and is not rewritten.
 *
 * <p>Called on request tasks, concurrently: implementations must be thread-safe.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface SameSitePolicy {

    /** Leaves every cookie as the application made it. */
    SameSitePolicy NONE = cookie -> null;

    /**
     * The {@code SameSite} value to write for {@code cookie} ({@code Strict}, {@code Lax} or
     * {@code None}), or null to write none.
     */
    String sameSite(Cookie cookie);
}
