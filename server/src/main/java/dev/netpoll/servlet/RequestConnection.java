package dev.netpoll.servlet;

import dev.netpoll.http.HttpRequest;
import jakarta.servlet.ServletConnection;
import java.net.InetSocketAddress;

/**
 * Where a request came from and was addressed to: scheme, security, server name and port, the
 * remote and local addresses, as the connection has them or as trusted forwarding headers
 * restate them. Immutable once made, on the connection's task; any thread may read it.
 */
final class RequestConnection {

    private final HttpRequest http;
    private final ForwardedHeaders forwarded;

    RequestConnection(HttpRequest http, ForwardedHeaders forwarded) {
        this.http = http;
        this.forwarded = forwarded;
    }

    String scheme() {
        return forwarded.scheme() != null ? forwarded.scheme() : http.isSecure() ? "https" : "http";
    }

    boolean isSecure() {
        return "https".equals(scheme());
    }

    /** The forwarded host, else the Host header without its port, else the local address. */
    String serverName() {
        if (forwarded.host() != null) {
            return forwarded.host();
        }
        String host = http.header("Host");
        if (host == null || host.isEmpty()) {
            return localName();
        }
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            return host.substring(0, close + 1);
        }
        int colon = host.indexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }

    /** The forwarded port, else the Host header's port, else the local port. */
    int serverPort() {
        if (forwarded.port() >= 0) {
            return forwarded.port();
        }
        String host = http.header("Host");
        if (host == null || host.isEmpty()) {
            return localPort();
        }
        // The scheme's default port when Host has none (RFC 9110 section 4.2).
        int defaultPort = http.isSecure() ? 443 : 80;
        int colon = host.lastIndexOf(':');
        if (colon < 0 || host.startsWith("[") && colon < host.indexOf(']')) {
            return defaultPort;
        }
        try {
            return Integer.parseInt(host.substring(colon + 1));
        } catch (NumberFormatException e) {
            return defaultPort;
        }
    }

    String remoteAddr() {
        if (forwarded.remoteAddress() != null) {
            return forwarded.remoteAddress();
        }
        InetSocketAddress remote = http.remoteAddress();
        return remote == null ? null : remote.getAddress().getHostAddress();
    }

    int remotePort() {
        InetSocketAddress remote = http.remoteAddress();
        return remote == null ? -1 : remote.getPort();
    }

    String localName() {
        InetSocketAddress local = http.localAddress();
        return local == null ? null : local.getAddress().getHostAddress();
    }

    int localPort() {
        InetSocketAddress local = http.localAddress();
        return local == null ? -1 : local.getPort();
    }

    /** ServletRequest.getServletConnection: the connection as such, not as a proxy restates it. */
    ServletConnection servletConnection() {
        var connection = this;
        return new ServletConnection() {
            @Override
            public String getConnectionId() {
                return connection.remoteAddr() + ":" + connection.remotePort();
            }

            @Override
            public String getProtocol() {
                return http.version();
            }

            @Override
            public String getProtocolConnectionId() {
                return "";
            }

            @Override
            public boolean isSecure() {
                return http.isSecure(); // the connection itself, whatever a proxy's headers say
            }
        };
    }
}
