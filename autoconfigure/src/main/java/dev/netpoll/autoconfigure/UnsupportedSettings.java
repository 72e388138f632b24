package dev.netpoll.autoconfigure;

import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.springframework.boot.web.server.WebServerException;
import org.springframework.boot.web.server.servlet.Jsp;
import org.springframework.boot.web.server.servlet.ServletWebServerSettings;
import org.springframework.boot.web.server.servlet.Session;
import org.springframework.util.ClassUtils;

/**
 * The settings of a {@code ConfigurableServletWebServerFactory} that Netpoll does not implement,
 * each refused when the server is created, with the property that asks for it and what to change.
 *
 * <p>Ignoring them would serve something other than what was asked for: JSP source as static files. When a
 * feature lands, its entry goes. Every other setting of Spring Boot 4.0's {@code ServerProperties}
 * and of the factory is honoured (see the README's list); {@code server.reactive.*} is not a
 * servlet setting and {@code server.tomcat.*} and {@code server.jetty.*} belong to those servers.
 *
 * @since 0.1.0
 */
final class UnsupportedSettings {

    /** One setting: the property that requests it, when a factory's value does, and what to do instead. */
    private record Setting(String property, Predicate<NetpollServletWebServerFactory> requested, String instead) {
    }

    private static final List<Setting> SETTINGS = List.of(
            new Setting("server.servlet.jsp.registered", factory -> jspWouldBeRegistered(factory.getSettings()),
                    "Netpoll has no JSP engine: set server.servlet.jsp.registered=false or remove "
                            + "the JSP servlet (server.servlet.jsp.class-name) from the class path"),
            new Setting("server.servlet.session.tracking-modes", factory -> !cookieTrackingOnly(factory.getSettings()),
                    "Netpoll tracks sessions by cookie only: remove the property or set it to cookie"));

    private UnsupportedSettings() {
    }

    /** Throws, naming every requested setting at once, if {@code factory} asks for any of them. */
    static void refuseIfRequested(NetpollServletWebServerFactory factory) {
        var message = new StringBuilder();
        for (Setting setting : SETTINGS) {
            if (setting.requested().test(factory)) {
                message.append(System.lineSeparator()).append(" - ").append(setting.property()).append(": ")
                        .append(setting.instead());
            }
        }
        if (!message.isEmpty()) {
            throw new WebServerException("Netpoll cannot honour these server settings, and starting without them would"
                    + " serve something other than what was configured:" + message, null);
        }
    }

    // Tomcat's rule (TomcatServletWebServerFactory.shouldRegisterJspServlet): the default,
    // registered=true, only matters when a JSP engine is actually on the class path.
    private static boolean jspWouldBeRegistered(ServletWebServerSettings settings) {
        Jsp jsp = settings.getJsp();
        return jsp != null && jsp.getRegistered()
                && ClassUtils.isPresent(jsp.getClassName(), UnsupportedSettings.class.getClassLoader());
    }

    // Unset means the container's default, which is cookie; URL rewriting and SSL session ids are not
    // implemented, and an empty set would still get a session cookie.
    private static boolean cookieTrackingOnly(ServletWebServerSettings settings) {
        Set<Session.SessionTrackingMode> modes = settings.getSession().getTrackingModes();
        return modes == null || modes.equals(Set.of(Session.SessionTrackingMode.COOKIE));
    }
}
