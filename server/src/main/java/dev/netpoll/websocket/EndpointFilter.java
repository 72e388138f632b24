package dev.netpoll.websocket;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Serves the endpoints added to the container ({@code @ServerEndpoint} classes,
 * {@code ServerEndpointConfig}s): a GET asking to upgrade to {@code websocket} on one of their
 * paths is answered here, before the application's filters; anything else passes through at the
 * cost of one header look-up.
 */
final class EndpointFilter implements Filter {

    private final NetpollServerContainer container;

    EndpointFilter(NetpollServerContainer container) {
        this.container = container;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        if (container.hasEndpoints() && req instanceof HttpServletRequest request
                && res instanceof HttpServletResponse response && isUpgrade(request)) {
            if (ServletHandshake.upgrade(container, container.endpoints(), request.getRequestURI(), request, response)) {
                return;
            }
        }
        chain.doFilter(req, res);
    }

    private static boolean isUpgrade(HttpServletRequest request) {
        String upgrade = request.getHeader("Upgrade");
        return upgrade != null && upgrade.equalsIgnoreCase("websocket") && "GET".equals(request.getMethod());
    }
}
