package dev.netpoll.websocket;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.server.ServerEndpointConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import org.glassfish.tyrus.core.RequestContext;
import org.glassfish.tyrus.core.TyrusUpgradeResponse;
import org.glassfish.tyrus.spi.WebSocketEngine;

/**
 * One opening handshake (RFC 6455 section 4.2) from a servlet request: Tyrus' engine checks the
 * request against the endpoint and fills the answer; a success upgrades the servlet request, so
 * the 101 goes out when the servlet returns and the session runs on the connection's task.
 */
final class ServletHandshake {

    private static final System.Logger LOG = System.getLogger(ServletHandshake.class.getName());

    private ServletHandshake() {
    }

    /**
     * Runs the handshake for {@code path} on {@code engine}. Returns false when no endpoint of the
     * engine matches (the response is left untouched).
     */
    static boolean upgrade(NetpollServerContainer container, WebSocketEngine engine, String path,
            HttpServletRequest request, HttpServletResponse response) throws IOException {
        var roles = new HandshakeRoles(request);
        RequestContext handshake = requestOf(request, path, roles);
        var answer = new TyrusUpgradeResponse();
        var compression = new MessageCompression(container.getDefaultMaxTextMessageBufferSize(),
                container.getDefaultMaxBinaryMessageBufferSize());
        WebSocketEngine.UpgradeInfo upgrade;
        ContainerNegotiation.Matched matched;
        PerMessageDeflate.NEGOTIATING.set(compression);
        try {
            upgrade = engine.upgrade(handshake, answer);
            matched = ContainerNegotiation.MATCHED.get();
        } finally {
            PerMessageDeflate.NEGOTIATING.remove();
            ContainerNegotiation.MATCHED.remove();
            roles.handshakeDone();
        }
        switch (upgrade.getStatus()) {
            case NOT_APPLICABLE:
                return false;
            case HANDSHAKE_FAILED:
                copyHeaders(answer, response);
                // HANDSHAKE_FAILED is the request failing validation; Tyrus reports some of those
                // (a missing Sec-WebSocket-Key) as 500, which would blame the server.
                int status = answer.getStatus();
                response.sendError(status >= 400 && status < 500 ? status : 400);
                return true;
            default:
                break;
        }
        MessageCompression negotiated = compression.isNegotiated() ? compression : null;
        MessageLayer.Opener opener;
        if (matched != null && matched.negotiation().servedByContainer()) {
            // Tyrus' handshake stands (checks, negotiation, the application's modifyHandshake);
            // the session is ours.
            ContainerNegotiation endpoint = matched.negotiation();
            Endpoint instance;
            try {
                instance = endpoint.endpointInstance();
            } catch (InstantiationException | RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "WebSocket endpoint for " + path + " could not be created", e);
                response.sendError(500);
                return true;
            }
            opener = EndpointSession.opener(container, endpoint.endpoint(), instance,
                    details(request, path, endpoint, matched.config(), answer), negotiated);
        } else {
            opener = TyrusLayer.of(upgrade);
        }
        if (!container.reserveSlot()) {
            // Reserved once the request is known to be ours; the handler frees it (session end or dropped upgrade).
            response.setHeader("Retry-After", "1");
            response.sendError(503, "too many WebSocket sessions");
            return true;
        }
        WebSocketUpgradeHandler handler;
        try {
            copyHeaders(answer, response);
            handler = request.upgrade(WebSocketUpgradeHandler.class);
        } catch (jakarta.servlet.ServletException e) {
            container.releaseSlot();
            throw new IOException(e.getMessage(), e);
        } catch (RuntimeException e) {
            container.releaseSlot();
            throw e;
        }
        handler.prepare(container, opener, path, negotiated);
        return true;
    }

    /**
     * {@code HandshakeRequest.isUserInRole}, answered by the servlet request during the handshake
     * only (Jakarta WebSocket: the handshake request is valid during the handshake). Tyrus keeps
     * the request context for the session's life; holding the servlet request there would keep
     * its whole wrapper chain (security, session, attributes) reachable from every idle session.
     */
    private static final class HandshakeRoles implements RequestContext.Builder.IsUserInRoleDelegate {

        /** The handshaking thread's; cleared when the engine has answered. */
        private volatile HttpServletRequest request;

        HandshakeRoles(HttpServletRequest request) {
            this.request = request;
        }

        void handshakeDone() {
            request = null;
        }

        @Override
        public boolean isUserInRole(String role) {
            HttpServletRequest current = request;
            return current != null && current.isUserInRole(role);
        }
    }

    /** What an {@link EndpointSession} keeps of the handshake (Jakarta WebSocket 2.2 section 2.1.1). */
    private static HandshakeDetails details(HttpServletRequest request, String path, ContainerNegotiation endpoint,
            ServerEndpointConfig matched, TyrusUpgradeResponse answer) {
        String query = request.getQueryString();
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        request.getParameterMap().forEach((name, values) -> parameters.put(name, List.of(values)));
        Map<String, String> pathParameters = endpoint.pathParameters() != null ? endpoint.pathParameters()
                : pathValues(request.getContextPath() + endpoint.endpoint().getPath(), path);
        String subprotocol = "";
        for (Map.Entry<String, List<String>> field : answer.getHeaders().entrySet()) {
            if (field.getKey().equalsIgnoreCase("Sec-WebSocket-Protocol") && !field.getValue().isEmpty()) {
                subprotocol = field.getValue().get(0);
            }
        }
        return new HandshakeDetails(requestUri(request, query), query, Collections.unmodifiableMap(parameters),
                Map.copyOf(pathParameters), request.getUserPrincipal(), request.isSecure(), subprotocol,
                new HashMap<>(matched.getUserProperties()));
    }

    /** The URI the session opened under, scheme to query (Jakarta WebSocket: {@code Session.getRequestURI}). */
    private static URI requestUri(HttpServletRequest request, String query) {
        String target = request.getRequestURI() + (query == null ? "" : "?" + query);
        String host = request.getServerName();
        if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        try {
            return new URI((request.isSecure() ? "wss://" : "ws://") + host + ":" + request.getServerPort() + target);
        } catch (URISyntaxException e) {
            return URI.create(request.getRequestURI()); // a Host header no URI can hold: the path alone
        }
    }

    /** The values of {@code template}'s {@code {name}} segments in {@code path}. */
    static Map<String, String> pathValues(String template, String path) {
        if (template.indexOf('{') < 0) {
            return Map.of();
        }
        String[] names = template.split("/", -1);
        String[] values = path.split("/", -1);
        Map<String, String> found = new HashMap<>();
        for (int i = 0; i < names.length && i < values.length; i++) {
            if (names[i].startsWith("{") && names[i].endsWith("}")) {
                found.put(names[i].substring(1, names[i].length() - 1), values[i]);
            }
        }
        return found;
    }

    private static void copyHeaders(TyrusUpgradeResponse answer, HttpServletResponse response) {
        for (Map.Entry<String, List<String>> field : answer.getHeaders().entrySet()) {
            if (field.getKey().equalsIgnoreCase("Connection")) {
                continue; // the engine states persistence and upgrade itself
            }
            response.setHeader(field.getKey(), String.join(", ", field.getValue()));
        }
    }

    private static RequestContext requestOf(HttpServletRequest request, String path, HandshakeRoles roles) {
        RequestContext context = RequestContext.Builder.create()
                .requestURI(URI.create(path))
                .queryString(request.getQueryString())
                .httpSession(request.getSession(false))
                .secure(request.isSecure())
                .userPrincipal(request.getUserPrincipal())
                .isUserInRoleDelegate(roles)
                .parameterMap(request.getParameterMap())
                .remoteAddr(request.getRemoteAddr())
                .serverAddr(request.getLocalAddr())
                .serverPort(request.getLocalPort())
                .build();
        Map<String, List<String>> headers = context.getHeaders();
        for (Enumeration<String> names = request.getHeaderNames(); names.hasMoreElements(); ) {
            String name = names.nextElement();
            List<String> values = new ArrayList<>();
            // The protocol's lists (Sec-WebSocket-Protocol, -Extensions) are one item per entry.
            boolean list = name.regionMatches(true, 0, "Sec-WebSocket-", 0, 14);
            for (Enumeration<String> each = request.getHeaders(name); each.hasMoreElements(); ) {
                String value = each.nextElement();
                if (!list) {
                    values.add(value);
                    continue;
                }
                for (String item : value.split(",")) {
                    // Offers the server cannot honour are not offered to the negotiation at all.
                    if (!item.isBlank() && (!name.equalsIgnoreCase("Sec-WebSocket-Extensions")
                            || PerMessageDeflate.acceptable(item))) {
                        values.add(item.trim());
                    }
                }
            }
            headers.put(name, values);
        }
        return context;
    }
}
