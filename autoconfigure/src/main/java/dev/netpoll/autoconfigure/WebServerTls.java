package dev.netpoll.autoconfigure;

import dev.netpoll.tls.ClientAuth;
import dev.netpoll.tls.TlsContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.WebServerException;
import org.springframework.boot.web.server.WebServerSslBundle;

/**
 * The {@link TlsContext} of a server from Spring Boot's {@code server.ssl.*}: either the inline key
 * store or PEM settings, or {@code server.ssl.bundle} naming a {@code spring.ssl.bundle.*} bundle,
 * both resolved by Boot's own {@link WebServerSslBundle} as Tomcat and Jetty do.
 *
 * <p>{@code server.ssl.server-name-bundles} picks a bundle by the host name the client asks for
 * (SNI); the others get the default bundle. A named bundle that Boot reloads ({@code reload-on-update}) replaces the {@code SSLContext}
 * that new connections get; connections already open keep theirs.
 *
 * @since 0.2.0
 */
final class WebServerTls {

    private WebServerTls() {
    }

    /** Offering {@code applicationProtocols} by ALPN in that order. Null when TLS is not enabled; throws a {@link WebServerException} naming what to fix when it cannot be set up. */
    static TlsContext of(Ssl ssl, SslBundles bundles, List<String> applicationProtocols) {
        if (!Ssl.isEnabled(ssl)) {
            return null;
        }
        try {
            SslBundle bundle = WebServerSslBundle.get(ssl, bundles);
            Supplier<SSLContext> main = reloading(bundle, ssl.getBundle(), bundles);
            var serverNames = new LinkedHashMap<String, Supplier<SSLContext>>();
            for (Ssl.ServerNameSslBundle named : ssl.getServerNameBundles()) {
                if (bundles == null) {
                    throw new IllegalStateException("server.ssl.server-name-bundles needs spring.ssl.bundle.* bundles,"
                            + " and no SslBundles are available");
                }
                serverNames.put(named.serverName(), reloading(bundles.getBundle(named.bundle()), named.bundle(), bundles));
            }
            SslOptions options = bundle.getOptions();
            return TlsContext.builder(main)
                    .serverNames(serverNames)
                    .protocols(list(options.getEnabledProtocols()))
                    .cipherSuites(list(options.getCiphers()))
                    .clientAuth(Ssl.ClientAuth.map(ssl.getClientAuth(), ClientAuth.NONE, ClientAuth.WANT, ClientAuth.NEED))
                    .applicationProtocols(applicationProtocols)
                    .build();
        } catch (RuntimeException e) {
            String source = ssl.getBundle() != null
                    ? "the SSL bundle '" + ssl.getBundle() + "' (server.ssl.bundle, spring.ssl.bundle.*)"
                    : "server.ssl.*";
            throw new WebServerException("Netpoll cannot set up TLS from " + source + ": " + e.getMessage(), e);
        }
    }

    /**
     * The context of {@code bundle}, replaced whenever Boot reloads the bundle named {@code name}
     * (null for inline {@code server.ssl.*} settings, which do not reload).
     */
    private static Supplier<SSLContext> reloading(SslBundle bundle, String name, SslBundles bundles) {
        var current = new AtomicReference<SSLContext>(bundle.createSslContext());
        if (name != null && bundles != null) {
            bundles.addBundleUpdateHandler(name, renewed -> current.set(renewed.createSslContext()));
        }
        return current::get;
    }

    private static List<String> list(String [] values) {
        return values == null ? null : List.of(values);
    }
}
