package dev.netpoll.websocket;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
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

    private ServletHandshake() {
    }

    /**
     * Runs the handshake for {@code path} on {@code engine}. Returns false when no endpoint of the
     * engine matches (the response is left untouched).
     */
    static boolean upgrade(NetpollServerContainer container, WebSocketEngine engine, String path,
            HttpServletRequest request, HttpServletResponse response) throws IOException {
        RequestContext handshake = requestOf(request, path);
        var answer = new TyrusUpgradeResponse();
        var compression = new MessageCompression(container.getDefaultMaxTextMessageBufferSize(),
                container.getDefaultMaxBinaryMessageBufferSize());
        WebSocketEngine.UpgradeInfo upgrade;
        PerMessageDeflate.NEGOTIATING.set(compression);
        try {
            upgrade = engine.upgrade(handshake, answer);
        } finally {
            PerMessageDeflate.NEGOTIATING.remove();
        }
        switch (upgrade.getStatus()) {
            case NOT_APPLICABLE:
                return false;
            case HANDSHAKE_FAILED:
                copyHeaders(answer, response);
                response.sendError(answer.getStatus() >= 400 ? answer.getStatus() : 400);
                return true;
            default:
                break;
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
        handler.prepare(container, upgrade, path, compression.isNegotiated() ? compression : null);
        return true;
    }

    private static void copyHeaders(TyrusUpgradeResponse answer, HttpServletResponse response) {
        for (Map.Entry<String, List<String>> field : answer.getHeaders().entrySet()) {
            if (field.getKey().equalsIgnoreCase("Connection")) {
                continue; // the engine states persistence and upgrade itself
            }
            response.setHeader(field.getKey(), String.join(", ", field.getValue()));
        }
    }

    private static RequestContext requestOf(HttpServletRequest request, String path) {
        RequestContext context = RequestContext.Builder.create()
                .requestURI(URI.create(path))
                .queryString(request.getQueryString())
                .httpSession(request.getSession(false))
                .secure(request.isSecure())
                .userPrincipal(request.getUserPrincipal())
                .isUserInRoleDelegate(request::isUserInRole)
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
