package dev.netpoll.http2;

import dev.netpoll.http.HttpConfig;
import dev.netpoll.http.HttpHandler;
import dev.netpoll.http.HttpServer;
import dev.netpoll.poll.Transport;
import dev.netpoll.tls.TestCertificates;
import dev.netpoll.tls.TlsContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** An HttpServer with HTTP/2 on a loopback port: h2c, and h2 by ALPN when given a key store. */
final class H2TestServer implements AutoCloseable {

    final HttpServer server;
    final Http2Protocol protocol;

    H2TestServer(String transport, HttpHandler handler) throws Exception {
        this(transport, HttpConfig.DEFAULTS, Http2Config.DEFAULTS, null, handler);
    }

    H2TestServer(String transport, HttpConfig http, Http2Config config, Path keyStore, HttpHandler handler)
            throws Exception {
        server = new HttpServer(http, handler, Transport.open(transport, 1));
        protocol = new Http2Protocol(config, true);
        server.setNextProtocol(protocol);
        if (keyStore != null) {
            var keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(TestCertificates.load(keyStore), TestCertificates.PASSWORD);
            var context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            server.setTls(TlsContext.builder(() -> context).applicationProtocols(List.of("h2", "http/1.1")).build());
        }
        server.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
    }
}
