package dev.netpoll.servlet;

import dev.netpoll.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What a trusted reverse proxy says about the original request ({@code
 * server.forward-headers-strategy=native}), read like Tomcat's RemoteIpValve: only when the
 * immediate peer matches {@code trustedProxies}; the client is the rightmost address of
 * {@code X-Forwarded-For} or {@code Forwarded: for=} (RFC 7239) that is not itself a trusted
 * proxy; scheme, host and port from {@code X-Forwarded-Proto}, {@code -Host}, {@code -Port} or
 * {@code proto}/{@code host}. {@code X-Forwarded-*} wins when the proxy sent any: nginx and most
 * load balancers set those and pass a client's own {@code Forwarded} through untouched, so
 * reading that first let any client choose its address and scheme (Tomcat ignores it
 * altogether); {@code Forwarded} is read only from a proxy that sends no X-Forwarded field.
 * Immutable; computed once per request.
 *
 * @param remoteAddress the client address, or null to keep the peer's
 * @param scheme        "http"/"https", or null to keep "http"
 * @param host          the host name, or null to keep the Host header's
 * @param port          the port, or -1 to keep the Host header's
 */
record ForwardedHeaders(String remoteAddress, String scheme, String host, int port) {

    static final ForwardedHeaders NONE = new ForwardedHeaders(null, null, null, -1);

    /** Tomcat's default internal proxies: loopback, link-local and private ranges, IPv4 and IPv6. */
    static final Pattern DEFAULT_TRUSTED = Pattern.compile(
            "10\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}|192\\.168\\.\\d{1,3}\\.\\d{1,3}|169\\.254\\.\\d{1,3}\\.\\d{1,3}"
                    + "|127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}|100\\.6[4-9]\\.\\d{1,3}\\.\\d{1,3}|100\\.[7-9]\\d\\.\\d{1,3}\\.\\d{1,3}"
                    + "|100\\.1[0-1]\\d\\.\\d{1,3}\\.\\d{1,3}|100\\.12[0-7]\\.\\d{1,3}\\.\\d{1,3}"
                    + "|172\\.1[6-9]\\.\\d{1,3}\\.\\d{1,3}|172\\.2\\d\\.\\d{1,3}\\.\\d{1,3}|172\\.3[0-1]\\.\\d{1,3}\\.\\d{1,3}"
                    + "|0:0:0:0:0:0:0:1|::1|fe[89ab]\\p{XDigit}:.*|f[cd]\\p{XDigit}{2}+:.*");

    static ForwardedHeaders of(HttpRequest http, Pattern trusted) {
        String peer = http.remoteAddress() == null ? null : http.remoteAddress().getAddress().getHostAddress();
        if (peer == null || !trusted.matcher(peer).matches()) {
            return NONE;
        }
        List<String> forwarded = http.headers("Forwarded");
        if (!forwarded.isEmpty() && http.header("X-Forwarded-For") == null && http.header("X-Forwarded-Proto") == null
                && http.header("X-Forwarded-Host") == null && http.header("X-Forwarded-Port") == null) {
            return fromRfc7239(forwarded, trusted);
        }
        String client = rightmostUntrusted(split(http.headers("X-Forwarded-For")), trusted);
        String proto = last(split(http.headers("X-Forwarded-Proto")));
        String host = last(split(http.headers("X-Forwarded-Host")));
        int port = -1;
        String forwardedPort = last(split(http.headers("X-Forwarded-Port")));
        if (forwardedPort != null) {
            try {
                port = Integer.parseInt(forwardedPort);
            } catch (NumberFormatException ignored) {
                // a malformed port is ignored, as Tomcat does
            }
        }
        return build(client, proto, host, port);
    }

    private static ForwardedHeaders fromRfc7239(List<String> headers, Pattern trusted) {
        List<String> fors = new ArrayList<>();
        String proto = null;
        String host = null;
        for (String header : headers) {
            for (String element : header.split(",")) {
                for (String pair : element.split(";")) {
                    int equals = pair.indexOf('=');
                    if (equals < 0) {
                        continue;
                    }
                    String key = pair.substring(0, equals).trim().toLowerCase(Locale.ROOT);
                    String value = unquote(pair.substring(equals + 1).trim());
                    switch (key) {
                        case "for" -> fors.add(address(value));
                        case "proto" -> proto = value;
                        case "host" -> host = value;
                        default -> { }
                    }
                }
            }
        }
        return build(rightmostUntrusted(fors, trusted), proto, host, -1);
    }

    private static ForwardedHeaders build(String client, String proto, String hostValue, int port) {
        String scheme = proto == null ? null : proto.toLowerCase(Locale.ROOT);
        if (scheme != null && !scheme.equals("http") && !scheme.equals("https")) {
            scheme = null;
        }
        String host = hostValue;
        if (host != null) {
            int colon = host.startsWith("[") ? host.indexOf(':', host.indexOf(']')) : host.lastIndexOf(':');
            if (colon > 0) {
                if (port < 0) {
                    try {
                        port = Integer.parseInt(host.substring(colon + 1));
                    } catch (NumberFormatException ignored) {
                        // keep -1
                    }
                }
                host = host.substring(0, colon);
            }
        }
        if (port < 0 && scheme != null) {
            port = scheme.equals("https") ? 443 : 80;
        }
        return new ForwardedHeaders(client, scheme, host, port);
    }

    /** {@code for=} values: an IPv6 literal in brackets, optionally with a port; "unknown" or an obfuscated id kept as is. */
    private static String address(String value) {
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            return close > 0 ? value.substring(1, close) : value;
        }
        int colon = value.indexOf(':');
        return colon > 0 && value.indexOf(':', colon + 1) < 0 ? value.substring(0, colon) : value;
    }

    private static String unquote(String value) {
        return value.length() > 1 && value.startsWith("\"") && value.endsWith("\"") ? value.substring(1, value.length() - 1) : value;
    }

    private static List<String> split(List<String> headers) {
        List<String> values = new ArrayList<>();
        for (String header : headers) {
            for (String part : header.split(",")) {
                if (!part.isBlank()) {
                    values.add(part.trim());
                }
            }
        }
        return values;
    }

    private static String last(List<String> values) {
        return values.isEmpty() ? null : values.get(values.size() - 1);
    }

    private static String rightmostUntrusted(List<String> chain, Pattern trusted) {
        for (int i = chain.size() - 1; i >= 0; i--) {
            if (!trusted.matcher(chain.get(i)).matches()) {
                return chain.get(i);
            }
        }
        return chain.isEmpty() ? null : chain.get(0);
    }
}
