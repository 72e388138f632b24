/**
 * Layer 6, above {@code servlet}: Jakarta WebSocket 2.2 for Spring's WebSocket support and
 * {@code @ServerEndpoint} classes. {@link dev.netpoll.websocket.NetpollServerContainer} is the
 * {@code jakarta.websocket.server.ServerContainer} servlet-context attribute; a handshake upgrades
 * the servlet request ({@code HttpServletRequest.upgrade}) and the connection's own task then
 * reads frames in blocking style ({@link dev.netpoll.websocket.WebSocketSession}), parked on the
 * poller between them, each batch vetted and unmasked by {@link dev.netpoll.websocket.FrameCheck}.
 *
 * <p>Above the frames, two message layers: programmatic endpoints without encoders or decoders
 * (Spring's handler adapter, which carries every {@code WebSocketHandler}, STOMP and SockJS
 * session, is one) get the container's own {@code Session}
 * ({@link dev.netpoll.websocket.EndpointSession}); annotated endpoints and endpoints with coders
 * get Eclipse Tyrus' core, which also runs every opening handshake (origin, sub-protocol and
 * extension negotiation, the configurator's {@code modifyHandshake}).
 */
package dev.netpoll.websocket;
