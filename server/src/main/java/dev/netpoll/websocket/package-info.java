/**
 * Layer 6, above {@code servlet}: Jakarta WebSocket 2.2 for Spring's WebSocket support and
 * {@code @ServerEndpoint} classes. {@link dev.netpoll.websocket.NetpollServerContainer} is the
 * {@code jakarta.websocket.server.ServerContainer} servlet-context attribute; a handshake upgrades
 * the servlet request ({@code HttpServletRequest.upgrade}) and the connection's own task then
 * reads frames in blocking style ({@link dev.netpoll.websocket.WebSocketSession}), parked on the
 * poller between them. Eclipse Tyrus' core supplies the API surface (endpoints, encoders,
 * decoders, message assembly); sockets, threads, limits and the RFC 6455 frame rules Tyrus does
 * not enforce ({@link dev.netpoll.websocket.FrameCheck}) are ours.
 */
package dev.netpoll.websocket;
