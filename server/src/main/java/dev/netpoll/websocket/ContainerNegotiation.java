package dev.netpoll.websocket;

import jakarta.websocket.Endpoint;
import jakarta.websocket.Extension;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.List;
import java.util.Map;

/**
 * An endpoint's configurator with extension negotiation done by the container: what the
 * application's configurator chose (Spring's handshake handler chooses by name) is answered with
 * the container's own extension, which does the frame work. Everything else is the application's.
 *
 * <p>It also tells the handshake which endpoint matched: Tyrus runs {@code modifyHandshake} for
 * the matched endpoint alone, at the end of a successful handshake, and this records itself in
 * {@link #MATCHED} there (the handshaking thread's, cleared by {@link ServletHandshake}).
 */
final class ContainerNegotiation extends ServerEndpointConfig.Configurator {

    /** The endpoint a handshake on this thread matched, with the configuration Tyrus passed. */
    record Matched(ContainerNegotiation negotiation, ServerEndpointConfig config) {
    }

    static final ThreadLocal<Matched> MATCHED = new ThreadLocal<>();

    private final ServerEndpointConfig endpoint;
    private final ServerEndpointConfig.Configurator application;
    private final PerMessageDeflate deflate;
    /** The values of the path's {@code {name}} segments when known up front (an upgrade call), else null. */
    private final Map<String, String> pathParameters;

    ContainerNegotiation(ServerEndpointConfig endpoint, PerMessageDeflate deflate, Map<String, String> pathParameters) {
        this.endpoint = endpoint;
        this.application = endpoint.getConfigurator();
        this.deflate = deflate;
        this.pathParameters = pathParameters;
    }

    /** The application's endpoint configuration. */
    ServerEndpointConfig endpoint() {
        return endpoint;
    }

    Map<String, String> pathParameters() {
        return pathParameters;
    }

    /**
     * Whether {@link EndpointSession} serves the endpoint (a programmatic endpoint without
     * encoders or decoders, as Spring's handler adapter is), not Tyrus.
     */
    boolean servedByContainer() {
        return Endpoint.class.isAssignableFrom(endpoint.getEndpointClass()) && endpoint.getEncoders().isEmpty()
                && endpoint.getDecoders().isEmpty();
    }

    /** A new instance of the endpoint, or the one the application's configurator hands out. */
    Endpoint endpointInstance() throws InstantiationException {
        return (Endpoint) application.getEndpointInstance(endpoint.getEndpointClass());
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
        MATCHED.set(new Matched(this, sec));
    }

    @Override
    public <T> T getEndpointInstance(Class<T> endpointClass) throws InstantiationException {
        return application.getEndpointInstance(endpointClass);
    }
}
