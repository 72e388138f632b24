package dev.netpoll.websocket;

import jakarta.websocket.Extension;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.List;

/**
 * An endpoint's configurator with extension negotiation done by the container: what the
 * application's configurator chose (Spring's handshake handler chooses by name) is answered with
 * the container's own extension, which does the frame work. Everything else is the application's.
 */
final class ContainerNegotiation extends ServerEndpointConfig.Configurator {

    private final ServerEndpointConfig.Configurator application;
    private final PerMessageDeflate deflate;

    ContainerNegotiation(ServerEndpointConfig.Configurator application, PerMessageDeflate deflate) {
        this.application = application;
        this.deflate = deflate;
    }

    @Override
    public List<Extension> getNegotiatedExtensions(List<Extension> installed, List<Extension> requested) {
        boolean chosen = installed.stream().anyMatch(PerMessageDeflate::is);
        boolean offered = requested.stream().anyMatch(PerMessageDeflate::is);
        return chosen && offered ? List.of(deflate) : List.of();
    }

    @Override
    public String getNegotiatedSubprotocol(List<String> supported, List<String> requested) {
        return application.getNegotiatedSubprotocol(supported, requested);
    }

    @Override
    public boolean checkOrigin(String originHeaderValue) {
        return application.checkOrigin(originHeaderValue);
    }

    @Override
    public void modifyHandshake(ServerEndpointConfig sec, HandshakeRequest request, HandshakeResponse response) {
        application.modifyHandshake(sec, request, response);
    }

    @Override
    public <T> T getEndpointInstance(Class<T> endpointClass) throws InstantiationException {
        return application.getEndpointInstance(endpointClass);
    }
}
