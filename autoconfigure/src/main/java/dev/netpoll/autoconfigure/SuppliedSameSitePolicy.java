package dev.netpoll.autoconfigure;

import dev.netpoll.servlet.SameSitePolicy;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.Cookie;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.web.server.Cookie.SameSite;
import org.springframework.boot.web.server.servlet.CookieSameSiteSupplier;
import org.springframework.boot.web.server.servlet.ServletWebServerSettings;

/**
 * Spring Boot's SameSite settings as the container's {@link SameSitePolicy}: the session cookie's
 * {@code server.servlet.session.cookie.same-site}, then the {@code CookieSameSiteSupplier} beans,
 * the first that answers for a cookie deciding it (Tomcat's order).
 *
 * <p>The session setting is asked first and answers only for the session cookie, so a configured
 * session SameSite, {@code omitted} included, is never overridden by a supplier; a supplier reaches
 * the session cookie only when that property is unset and the supplier matches the cookie. A
 * supplier that does not match a cookie answers null and leaves it alone. The list is fixed at
 * construction; suppliers are Boot's immutable predicates, so asking concurrently is safe.
 */
final class SuppliedSameSitePolicy implements SameSitePolicy {

    private final List<CookieSameSiteSupplier> suppliers;

    private SuppliedSameSitePolicy(List<CookieSameSiteSupplier> suppliers) {
        this.suppliers = List.copyOf(suppliers);
    }

    /**
     * The policy of {@code settings} for {@code context}, or {@link SameSitePolicy#NONE} when
     * nothing asks for SameSite.
     */
    static SameSitePolicy of(ServletWebServerSettings settings, ServletContext context) {
        List<CookieSameSiteSupplier> suppliers = new ArrayList<>();
        SameSite session = settings.getSession().getCookie().getSameSite();
        if (session != null) {
            // The name is read per cookie: Boot's session initializer renames it after this is built.
            suppliers.add(CookieSameSiteSupplier.of(session)
                    .whenHasName(() -> context.getSessionCookieConfig().getName()));
        }
        suppliers.addAll(settings.getCookieSameSiteSuppliers());
        return suppliers.isEmpty() ? SameSitePolicy.NONE : new SuppliedSameSitePolicy(suppliers);
    }

    @Override
    public String sameSite(Cookie cookie) {
        for (CookieSameSiteSupplier supplier : suppliers) {
            SameSite sameSite = supplier.getSameSite(cookie);
            if (sameSite != null) {
                // OMITTED answers too, with no attribute value: the cookie is decided, without SameSite.
                return sameSite.attributeValue();
            }
        }
        return null;
    }
}
