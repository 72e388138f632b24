package dev.netpoll.autoconfigure;

import java.net.InetAddress;
import org.springframework.util.Assert;

/**
 * One more port a {@link NetpollWebServer} listens on besides {@code server.port}, serving the
 * same servlet context; what Tomcat's additional connectors and a Jetty connector customizer give.
 * Plain HTTP for now: TLS will come as another factory method, so callers build listeners through
 * {@link #http(int)} and {@link #http(InetAddress, int)} rather than the constructor.
 *
 * @param address the local address to bind; null binds the server's own ({@code server.address},
 * all interfaces when that is unset)
 * @param port the port; 0 for any free port
 * @since 0.1.0
 */
public record AdditionalListener(InetAddress address, int port) {

    public AdditionalListener {
        Assert.isTrue(port >= 0 && port <= 65535, () -> "'port' must be between 0 and 65535, was " + port);
    }

    /** Plain HTTP on {@code port} of the server's own address. */
    public static AdditionalListener http(int port) {
        return new AdditionalListener(null, port);
    }

    /** Plain HTTP on {@code port} of {@code address}. */
    public static AdditionalListener http(InetAddress address, int port) {
        Assert.notNull(address, "'address' must not be null");
        return new AdditionalListener(address, port);
    }

    /** The scheme it serves, as the started log line names it. */
    public String scheme() {
        return "http";
    }
}
