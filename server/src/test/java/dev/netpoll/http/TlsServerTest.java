package dev.netpoll.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netpoll.poll.Transport;
import dev.netpoll.tls.ClientAuth;
import dev.netpoll.tls.HandshakeStats;
import dev.netpoll.tls.TestCertificates;
import dev.netpoll.tls.TlsContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * HTTPS on real sockets, on both transports: the handshake runs on the connection's task, requests
 * and keep-alive work as in cleartext, an idle TLS connection holds no record buffer, a cleartext
 * client gets a readable 400, a stalled handshake is cut off at the head timeout while others are
 * served, and client certificates are asked for as configured.
 */
class TlsServerTest {

    @TempDir
    static Path dir;
    static Path serverStore;
    static Path clientStore;

    @BeforeAll
    static void certificates() throws Exception {
        serverStore = TestCertificates.keyStore(dir, "server", "EC", "localhost");
        clientStore = TestCertificates.keyStore(dir, "client", "RSA", "client");
    }

    private static HttpServer start(String transport, HttpConfig config, TlsContext tls) throws Exception {
        var server = new HttpServer(config, (request, response) -> {
            byte[] body = request.body().readAllBytes();
            var session = request.tlsSession();
            String peer = "-";
            try {
                peer = ((X509Certificate) session.getPeerCertificates()[0]).getSubjectX500Principal().getName();
            } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
                // no client certificate
            }
            String text = request.method() + " secure=" + request.isSecure() + " " + session.getProtocol()
                    + " body=" + body.length + " peer=" + peer;
            response.header("Content-Type", "text/plain");
            response.body().write(text.getBytes(StandardCharsets.UTF_8));
        }, Transport.open(transport, 1));
        server.setTls(tls);
        server.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return server;
    }

    private static TlsContext tls(ClientAuth auth) throws Exception {
        SSLContext context = TestCertificates.serverContext(serverStore, auth == ClientAuth.NONE ? null : clientStore);
        return TlsContext.builder(() -> context).clientAuth(auth).build();
    }

    private static HttpClient client(Path own) throws Exception {
        return HttpClient.newBuilder().sslContext(TestCertificates.clientContext(serverStore, own))
                .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    @Timeout(60)
    void httpClientWithCustomTrustStoreIsServedOverTlsAndAnIdleConnectionHoldsNoRecordBuffer(String transport)
            throws Exception {
        TlsContext tls = tls(ClientAuth.NONE);
        try (var server = start(transport, HttpConfig.DEFAULTS, tls); var client = client(null)) {
            URI uri = URI.create("https://localhost:" + server.port() + "/x");
            for (int i = 0; i < 3; i++) {
                var response = client.send(java.net.http.HttpRequest.newBuilder(uri)
                        .POST(BodyPublishers.ofByteArray(new byte[100_000 * i])).build(), BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).isEqualTo("POST secure=true TLSv1.3 body=" + 100_000 * i + " peer=-");
                assertThat(response.sslSession()).hasValueSatisfying(s -> assertThat(s.getProtocol()).isEqualTo("TLSv1.3"));
            }
            assertThat(server.connectionsAccepted()).isEqualTo(1); // keep-alive
            Thread.sleep(200);
            assertThat(tls.recordBuffersLent()).isZero();
            assertThat(tls.handshakes().count(HandshakeStats.Result.SUCCESS)).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    @Timeout(60)
    void largeResponseCrossesManyRecordsAndTheConnectionIsReused(String transport) throws Exception {
        TlsContext tls = tls(ClientAuth.NONE);
        byte[] big = new byte[1 << 20];
        java.util.Arrays.fill(big, (byte) 'x');
        var server = new HttpServer(HttpConfig.DEFAULTS, (request, response) -> response.body().write(big),
                Transport.open(transport, 1));
        server.setTls(tls);
        server.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        try (server; var client = client(null)) {
            URI uri = URI.create("https://localhost:" + server.port() + "/big");
            for (int i = 0; i < 3; i++) {
                var response = client.send(java.net.http.HttpRequest.newBuilder(uri).build(), BodyHandlers.ofByteArray());
                assertThat(response.body()).isEqualTo(big);
            }
            assertThat(server.connectionsAccepted()).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    @Timeout(30)
    void plainHttpOnTheTlsPortGetsAReadable400(String transport) throws Exception {
        TlsContext tls = tls(ClientAuth.NONE);
        try (var server = start(transport, HttpConfig.DEFAULTS, tls);
                var socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(answer).startsWith("HTTP/1.1 400 Bad Request\r\n").contains("Connection: close\r\n")
                    .endsWith("This port speaks HTTPS: use an https:// URL.\n");
            assertThat(tls.handshakes().count(HandshakeStats.Result.NOT_TLS)).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    @Timeout(30)
    void stalledHandshakeIsCutOffAtTheHeadTimeoutWhileOthersAreServed(String transport) throws Exception {
        TlsContext tls = tls(ClientAuth.NONE);
        HttpConfig config = HttpConfig.DEFAULTS.toBuilder().headTimeout(Duration.ofSeconds(1)).build();
        try (var server = start(transport, config, tls);
                var silent = new Socket(InetAddress.getLoopbackAddress(), server.port());
                var partial = new Socket(InetAddress.getLoopbackAddress(), server.port());
                var client = client(null)) {
            partial.getOutputStream().write(new byte[] {22, 3, 1, 0, 100, 1}); // a ClientHello that never ends
            long started = System.nanoTime();
            var response = client.send(java.net.http.HttpRequest.newBuilder(
                    URI.create("https://localhost:" + server.port() + "/")).build(), BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
            silent.setSoTimeout(5000);
            partial.setSoTimeout(5000);
            assertThat(silent.getInputStream().read()).isEqualTo(-1);
            assertThat(partial.getInputStream().read()).isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(800), Duration.ofSeconds(4));
            // The nio transport's sweeper closes the socket before the woken task counts the timeout.
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(2))
                    .until(() -> tls.handshakes().count(HandshakeStats.Result.TIMEOUT) == 2);
            Thread.sleep(100);
            assertThat(tls.recordBuffersLent()).isLessThanOrEqualTo(1); // the kept-alive client's socket
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    @Timeout(30)
    void handshakesWaitingOnTheClientHoldNoRecordBuffer(String transport) throws Exception {
        // Silent sockets, and clients that sent a ClientHello and never answer our flight: each
        // held 16-33 KB of direct memory for the whole handshake timeout before; thousands of
        // them exhausted direct memory for everyone.
        TlsContext tls = tls(ClientAuth.NONE);
        try (var server = start(transport, HttpConfig.DEFAULTS, tls)) {
            var sockets = new java.util.ArrayList<Socket>();
            try {
                for (int i = 0; i < 10; i++) {
                    sockets.add(new Socket(InetAddress.getLoopbackAddress(), server.port()));
                    var stalled = new Socket(InetAddress.getLoopbackAddress(), server.port());
                    sockets.add(stalled);
                    stalled.getOutputStream().write(clientHello(server.port()));
                }
                org.awaitility.Awaitility.await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                        .until(() -> tls.recordBuffersLent() == 0);
                for (Socket stalled : sockets.subList(0, 2)) {
                    stalled.setSoTimeout(100);
                }
                // The server did answer: its flight is waiting in the stalled client's socket.
                assertThat(sockets.get(1).getInputStream().read()).isEqualTo(22); // a handshake record
            } finally {
                for (Socket socket : sockets) {
                    socket.close();
                }
            }
        }
    }

    /** The bytes of a TLS client's first flight (its ClientHello), made by a client engine that goes no further. */
    private static byte[] clientHello(int port) throws Exception {
        javax.net.ssl.SSLEngine engine = javax.net.ssl.SSLContext.getDefault().createSSLEngine("localhost", port);
        engine.setUseClientMode(true);
        engine.beginHandshake();
        var out = java.nio.ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(java.nio.ByteBuffer.allocate(0), out);
        out.flip();
        byte[] bytes = new byte[out.remaining()];
        out.get(bytes);
        return bytes;
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    @Timeout(30)
    void clientCertificateIsRequiredWhenNeededAndOptionalWhenWanted(String transport) throws Exception {
        try (var server = start(transport, HttpConfig.DEFAULTS, tls(ClientAuth.NEED))) {
            URI uri = URI.create("https://localhost:" + server.port() + "/");
            try (var anonymous = client(null)) {
                assertThatThrownBy(() -> anonymous.send(java.net.http.HttpRequest.newBuilder(uri).build(), BodyHandlers.ofString()))
                        .isInstanceOf(IOException.class);
            }
            try (var identified = client(clientStore)) {
                assertThat(identified.send(java.net.http.HttpRequest.newBuilder(uri).build(), BodyHandlers.ofString()).body())
                        .endsWith("peer=CN=client");
            }
        }
        try (var server = start(transport, HttpConfig.DEFAULTS, tls(ClientAuth.WANT))) {
            URI uri = URI.create("https://localhost:" + server.port() + "/");
            try (var anonymous = client(null)) {
                assertThat(anonymous.send(java.net.http.HttpRequest.newBuilder(uri).build(), BodyHandlers.ofString()).body())
                        .endsWith("peer=-");
            }
            try (var identified = client(clientStore)) {
                assertThat(identified.send(java.net.http.HttpRequest.newBuilder(uri).build(), BodyHandlers.ofString()).body())
                        .endsWith("peer=CN=client");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    @Timeout(30)
    void serverSendsCloseNotifyAfterConnectionClose(String transport) throws Exception {
        try (var server = start(transport, HttpConfig.DEFAULTS, tls(ClientAuth.NONE));
                var socket = (SSLSocket) TestCertificates.clientContext(serverStore, null).getSocketFactory()
                        .createSocket("localhost", server.port())) {
            socket.setSoTimeout(5000);
            socket.setEnabledProtocols(new String[] {"TLSv1.2"});
            OutputStream out = socket.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            // readAllBytes ends cleanly only on close_notify: a bare FIN makes the JDK throw.
            String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(answer).startsWith("HTTP/1.1 200").endsWith("GET secure=true TLSv1.2 body=0 peer=-");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    @Timeout(30)
    void tls11IsRefusedByDefault(String transport) throws Exception {
        TlsContext tls = tls(ClientAuth.NONE);
        assertThat(tls.protocols()).containsExactly("TLSv1.3", "TLSv1.2");
        try (var server = start(transport, HttpConfig.DEFAULTS, tls);
                var socket = (SSLSocket) TestCertificates.clientContext(serverStore, null).getSocketFactory()
                        .createSocket("localhost", server.port())) {
            socket.setSoTimeout(5000);
            String[] old = java.util.Arrays.stream(socket.getSupportedProtocols())
                    .filter(p -> p.equals("TLSv1.1") || p.equals("TLSv1")).toArray(String[]::new);
            socket.setEnabledProtocols(old);
            assertThatThrownBy(socket::startHandshake).isInstanceOf(SSLException.class);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    @Timeout(30)
    void aTls13KeyUpdateLongAfterTheLastResponseIsAnsweredAndTheNextRequestServed(String transport) throws Exception {
        // The reply to the key update was written under the deadline the last response left,
        // long past here: the read that carried it failed as a timeout and the request was lost.
        HttpConfig config = HttpConfig.DEFAULTS.toBuilder().writeTimeout(Duration.ofMillis(200)).build();
        try (var server = start(transport, config, tls(ClientAuth.NONE));
                var socket = (SSLSocket) TestCertificates.clientContext(serverStore, null).getSocketFactory()
                        .createSocket("localhost", server.port())) {
            socket.setSoTimeout(5000);
            socket.setEnabledProtocols(new String[] {"TLSv1.3"});
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            byte[] answer = new byte[4096];
            out.write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(answer, 0, in.read(answer), StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200");
            Thread.sleep(500); // that response's write deadline is long past
            socket.startHandshake(); // on TLS 1.3: a KeyUpdate that asks the server to update its keys too
            out.write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            int n = in.read(answer);
            assertThat(n).isPositive();
            assertThat(new String(answer, 0, n, StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    @Timeout(30)
    void tls12RenegotiationIsRefusedAndEndsTheConnection(String transport) throws Exception {
        try (var server = start(transport, HttpConfig.DEFAULTS, tls(ClientAuth.NONE));
                var socket = (SSLSocket) TestCertificates.clientContext(serverStore, null).getSocketFactory()
                        .createSocket("localhost", server.port())) {
            socket.setSoTimeout(5000);
            socket.setEnabledProtocols(new String[] {"TLSv1.2"});
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] first = new byte[4096];
            assertThat(new String(first, 0, in.read(first), StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200");
            // A second handshake on a TLS 1.2 connection is a renegotiation; the server ends the connection.
            assertThatThrownBy(() -> {
                socket.startHandshake();
                out.write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                if (in.read(first) < 0) {
                    throw new IOException("closed");
                }
            }).isInstanceOf(IOException.class);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    @Timeout(60)
    void sniPicksTheCertificateOfTheRequestedHostName(String transport) throws Exception {
        Path apiStore = TestCertificates.keyStore(dir, "api", "RSA", "api.example");
        Path wildStore = TestCertificates.keyStore(dir, "wild", "EC", "any.shop.example");
        SSLContext main = TestCertificates.serverContext(serverStore, null);
        SSLContext api = TestCertificates.serverContext(apiStore, null);
        SSLContext wild = TestCertificates.serverContext(wildStore, null);
        TlsContext tls = TlsContext.builder(() -> main)
                .serverNames(java.util.Map.of("API.example", () -> api, "*.shop.example", () -> wild)).build();
        try (var server = start(transport, HttpConfig.DEFAULTS, tls)) {
            assertThat(presented(server.port(), "api.example")).isEqualTo("CN=api.example");
            assertThat(presented(server.port(), "a.shop.example")).isEqualTo("CN=any.shop.example");
            assertThat(presented(server.port(), "other.example")).isEqualTo("CN=localhost");
            assertThat(presented(server.port(), null)).isEqualTo("CN=localhost");
        }
    }

    /** The subject of the certificate the server presents to a client asking for {@code serverName}. */
    private static String presented(int port, String serverName) throws Exception {
        // Trusts anything: this looks at which certificate comes, not whether it verifies.
        var context = SSLContext.getInstance("TLS");
        context.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        try (var socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            var parameters = socket.getSSLParameters();
            parameters.setServerNames(serverName == null ? java.util.List.of()
                    : java.util.List.of(new javax.net.ssl.SNIHostName(serverName)));
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200");
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    @Timeout(30)
    void gracefulShutdownClosesAnIdleTlsConnectionAtOnceWithCloseNotify(String transport) throws Exception {
        var server = start(transport, HttpConfig.DEFAULTS, tls(ClientAuth.NONE));
        try (server; var socket = (SSLSocket) TestCertificates.clientContext(serverStore, null).getSocketFactory()
                .createSocket("localhost", server.port())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] response = new byte[4096];
            assertThat(new String(response, 0, socket.getInputStream().read(response), StandardCharsets.US_ASCII))
                    .startsWith("HTTP/1.1 200");
            Thread.sleep(200); // idle, waiting for the next request
            long started = System.nanoTime();
            assertThat(server.shutdownGracefully(Duration.ofSeconds(5))).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
            assertThat(socket.getInputStream().read()).isEqualTo(-1); // a clean close_notify, not a reset
        }
    }
}
