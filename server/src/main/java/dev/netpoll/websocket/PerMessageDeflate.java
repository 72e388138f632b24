package dev.netpoll.websocket;

import jakarta.websocket.Extension;
import java.util.List;
import org.glassfish.tyrus.core.extension.ExtendedExtension;
import org.glassfish.tyrus.core.frame.Frame;

/**
 * The permessage-deflate extension (RFC 7692) as the container installs it. The server always
 * answers with {@code server_no_context_takeover} and {@code client_no_context_takeover}, which
 * sections 7.1.1.1 and 7.1.1.2 allow whatever the offer said, so that no zlib stream outlives a
 * message (see {@link MessageCompression}); offers this cannot honour (a window under 15 bits,
 * unknown parameters) are dropped from the request before negotiation ({@link #acceptable}).
 *
 * <p>One instance serves every session: per-session state lives in Tyrus' extension context.
 * The handshake hands the session's {@link MessageCompression} to the negotiation through
 * {@link #NEGOTIATING}, set on the handshaking thread around the engine's upgrade call.
 */
final class PerMessageDeflate implements ExtendedExtension {

    static final String NAME = "permessage-deflate";
    static final ThreadLocal<MessageCompression> NEGOTIATING = new ThreadLocal<>();
    private static final String STATE = MessageCompression.class.getName();
    private static final List<Parameter> ANSWER = List.of(flag("server_no_context_takeover"),
            flag("client_no_context_takeover"));

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public List<Parameter> getParameters() {
        return List.of();
    }

    @Override
    public List<Parameter> onExtensionNegotiation(ExtensionContext context, List<Parameter> requestedParameters) {
        if (!context.getProperties().containsKey(STATE)) {
            MessageCompression compression = NEGOTIATING.get();
            if (compression == null) {
                throw new IllegalStateException("permessage-deflate negotiated outside a Netpoll handshake");
            }
            compression.negotiated();
            context.getProperties().put(STATE, compression);
        }
        return ANSWER;
    }

    @Override
    public void onHandshakeResponse(ExtensionContext context, List<Parameter> responseParameters) {
        // client side only
    }

    @Override
    public Frame processIncoming(ExtensionContext context, Frame frame) {
        return state(context).inflate(frame);
    }

    @Override
    public Frame processOutgoing(ExtensionContext context, Frame frame) {
        return state(context).deflate(frame);
    }

    /**
     * Tyrus closed the session, on whatever thread closed it (possibly not the session's task,
     * and not at all after a client-initiated close): only outbound state is freed here; the
     * session's task frees the inbound state when it stops reading.
     */
    @Override
    public void destroy(ExtensionContext context) {
        MessageCompression compression = (MessageCompression) context.getProperties().get(STATE);
        if (compression != null) {
            compression.releaseOutbound();
        }
    }

    private static MessageCompression state(ExtensionContext context) {
        return (MessageCompression) context.getProperties().get(STATE);
    }

    /**
     * Whether one offer of the Sec-WebSocket-Extensions list (RFC 7692 section 7.1) is a
     * permessage-deflate offer this server can accept as it answers (no context takeover either
     * way, no window parameter). Declined, so that the client may fall back to its next offer:
     * an unknown parameter, one given twice, a value on a flag, a client_max_window_bits value
     * outside 8-15 (section 7 says such offers MUST be declined), and any server_max_window_bits:
     * accepting one means answering with it (section 7.1.2.1), which the negotiation cannot
     * (Tyrus gives it no parameters), and java.util.zip cannot go below 15 bits anyway.
     * Offers of other extensions pass.
     */
    static boolean acceptable(String offer) {
        String[] parts = offer.split(";");
        if (!parts[0].trim().equalsIgnoreCase(NAME)) {
            return true;
        }
        var seen = new java.util.HashSet<String>();
        for (int i = 1; i < parts.length; i++) {
            String[] parameter = parts[i].trim().split("=", 2);
            String name = parameter[0].trim().toLowerCase(java.util.Locale.ROOT);
            String value = parameter.length > 1 ? unquote(parameter[1].trim()) : null;
            if (!seen.add(name)) {
                return false;
            }
            switch (name) {
                case "server_no_context_takeover", "client_no_context_takeover" -> {
                    if (value != null) {
                        return false;
                    }
                }
                case "client_max_window_bits" -> {
                    if (value != null && !windowBits(value)) {
                        return false;
                    }
                }
                default -> {
                    return false;
                }
            }
        }
        return true;
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"") ? value.substring(1, value.length() - 1) : value;
    }

    /** 1*DIGIT from 8 to 15, without leading zeros (RFC 7692 section 7.1.2). */
    private static boolean windowBits(String value) {
        return value.matches("[89]|1[0-5]");
    }

    private static Parameter flag(String name) {
        return new Parameter() {
            @Override
            public String getName() {
                return name;
            }

            @Override
            public String getValue() {
                return null;
            }
        };
    }

    /** Whether {@code extension} is this one, by name (Spring passes adapters of its own). */
    static boolean is(Extension extension) {
        return NAME.equals(extension.getName());
    }
}
