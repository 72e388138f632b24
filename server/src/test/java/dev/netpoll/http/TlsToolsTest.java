package dev.netpoll.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netpoll.poll.Transport;
import dev.netpoll.tls.ClientAuth;
import dev.netpoll.tls.ExternalTool;
import dev.netpoll.tls.HandshakeStats;
import dev.netpoll.tls.TestCertificates;
import dev.netpoll.tls.TlsContext;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS as the common command-line clients see it: curl with {@code --cacert}, and openssl
 * s_client for protocol negotiation (TLS 1.2 and 1.3 accepted, 1.0 and 1.1 refused), ALPN, and
 * client certificates asked for ({@code want}) versus required ({@code need}).
 */
class TlsToolsTest {

    @TempDir
    static Path dir;
    static Path serverStore;
    static Path serverPem;
    static Path clientCert;
    static Path clientKey;

    @BeforeAll
    static void certificates() throws Exception {
        serverStore = TestCertificates.keyStore(dir, "server", "EC", "localhost");
        serverPem = TestCertificates.exportPem(serverStore, "server", dir.resolve("server.pem"));
        clientCert = dir.resolve("client.pem");
        clientKey = dir.resolve("client.key");
        if (ExternalToolPresent.openssl()) {
            var made = ExternalTool.run(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-subj", "/CN=openssl-client", "-days", "2",
                    "-keyout", clientKey.toString(), "-out", clientCert.toString()), "");
            assertThat(made.exitCode()).as(made.output()).isZero();
        }
    }

    /** Whether openssl is on the PATH, for the set-up; the tests themselves call require. */
    private static final class ExternalToolPresent {
        static boolean openssl() {
            return java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
                    .anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, "openssl")));
        }
    }

    private static HttpServer start(ClientAuth auth, TlsContext[] made) throws Exception {
        var keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(TestCertificates.load(serverStore), TestCertificates.PASSWORD);
        var context = SSLContext.getInstance("TLS");
        TrustManagerFactory trust = null;
        if (auth != ClientAuth.NONE) {
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            try (InputStream in = Files.newInputStream(clientCert)) {
                trusted.setCertificateEntry("client", CertificateFactory.getInstance("X.509").generateCertificate(in));
            }
            trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
        }
        context.init(keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(), null);
        TlsContext tls = TlsContext.builder(() -> context).clientAuth(auth).build();
        made[0] = tls;
        var server = new HttpServer(HttpConfig.DEFAULTS, (request, response) -> {
            String peer = "-";
            try {
                peer = ((X509Certificate) request.tlsSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
            } catch (SSLPeerUnverifiedException e) {
                // none
            }
            response.body().write(("hello over " + request.tlsSession().getProtocol() + " peer=" + peer)
                    .getBytes(StandardCharsets.US_ASCII));
        }, Transport.open("epoll", 1));
        server.setTls(tls);
        server.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return server;
    }

    private static ExternalTool.Run sClient(int port, String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                "-servername", "localhost", "-CAfile", serverPem.toString(), "-verify_return_error", "-ign_eof"));
        command.addAll(List.of(options));
        return ExternalTool.run(command, "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    }

    @Test
    @Timeout(60)
    void curlWithCacertGetsTheResponseAndPlainHttpOnTheSamePortGetsA400() throws Exception {
        ExternalTool.require("curl");
        TlsContext[] tls = new TlsContext[1];
        try (var server = start(ClientAuth.NONE, tls)) {
            var https = ExternalTool.run(List.of("curl", "-sS", "--cacert", serverPem.toString(),
                    "https://localhost:" + server.port() + "/"), "");
            assertThat(https.output()).isEqualTo("hello over TLSv1.3 peer=-");
            var http = ExternalTool.run(List.of("curl", "-sS", "-i", "http://localhost:" + server.port() + "/"), "");
            assertThat(http.output()).startsWith("HTTP/1.1 400 Bad Request").contains("This port speaks HTTPS");
        }
    }

    @Test
    @Timeout(60)
    void opensslNegotiatesTls12And13WithAlpnAndIsRefusedTls10And11() throws Exception {
        ExternalTool.require("openssl");
        TlsContext[] tls = new TlsContext[1];
        try (var server = start(ClientAuth.NONE, tls)) {
            var v13 = sClient(server.port(), "-tls1_3", "-alpn", "http/1.1");
            assertThat(v13.output()).contains("TLSv1.3").contains("ALPN protocol: http/1.1")
                    .contains("Verify return code: 0 (ok)").contains("hello over TLSv1.3");
            var v12 = sClient(server.port(), "-tls1_2");
            assertThat(v12.output()).contains("Protocol  : TLSv1.2").contains("hello over TLSv1.2");
            long failedBefore = tls[0].handshakes().count(HandshakeStats.Result.FAILED);
            for (String old : List.of("-tls1_1", "-tls1")) {
                // SECLEVEL=0 so that it is the server, not this client's policy, that refuses.
                var refused = sClient(server.port(), old, "-cipher", "DEFAULT:@SECLEVEL=0");
                assertThat(refused.exitCode()).as(refused.output()).isNotZero();
                assertThat(refused.output()).doesNotContain("hello over");
            }
            assertThat(tls[0].handshakes().count(HandshakeStats.Result.FAILED)).isEqualTo(failedBefore + 2);
        }
    }

    @Test
    @Timeout(60)
    void clientCertificateWantedIsOptionalButNeededIsRequired() throws Exception {
        ExternalTool.require("openssl");
        TlsContext[] tls = new TlsContext[1];
        String[] withCert = {"-cert", clientCert.toString(), "-key", clientKey.toString()};
        try (var server = start(ClientAuth.WANT, tls)) {
            assertThat(sClient(server.port()).output()).contains("hello over TLSv1.3 peer=-");
            assertThat(sClient(server.port(), withCert).output()).contains("peer=CN=openssl-client");
        }
        try (var server = start(ClientAuth.NEED, tls)) {
            var anonymous = sClient(server.port());
            assertThat(anonymous.output()).doesNotContain("hello over").contains("alert");
            assertThat(sClient(server.port(), withCert).output()).contains("peer=CN=openssl-client");
            assertThat(sClient(server.port(), "-tls1_2").output()).doesNotContain("hello over");
        }
    }
}
