package dev.netpoll.websocket;

import java.net.URI;
import java.security.Principal;
import java.util.List;
import java.util.Map;

/**
 * What an {@link EndpointSession} keeps of its opening handshake (Jakarta WebSocket 2.2 section
 * 2.1.1): copied out of the servlet request during the handshake, so that no session holds the
 * request, its wrappers or its attributes.
 *
 * @param requestUri the request URI with its query
 * @param parameters the query's parameters
 * @param pathParameters the values of the endpoint path's {@code {name}} segments
 * @param subprotocol the negotiated sub-protocol, empty for none
 * @param userProperties what the handshake left in the endpoint configuration's user properties
 */
record HandshakeDetails(URI requestUri, String queryString, Map<String, List<String>> parameters,
        Map<String, String> pathParameters, Principal principal, boolean secure, String subprotocol,
        Map<String, Object> userProperties) {
}
