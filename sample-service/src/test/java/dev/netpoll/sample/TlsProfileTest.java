package dev.netpoll.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The sample's {@code tls} profile serves HTTPS with a self-signed pair written to
 * {@code target/tls} at test time, which a client that trusts {@code cert.pem} accepts; Prometheus sees the
 * handshakes counted.
 */
@ActiveProfiles("tls")
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class TlsProfileTest {

    @DynamicPropertySource
    static void certificate(DynamicPropertyRegistry registry) throws Exception {
        SelfSignedPem.main(new String[] {"target/tls"});
        registry.add("netpoll.sample.tls.dir", () -> "target/tls");
    }

    @LocalServerPort
    int port;

    @Test
    void tlsProfileServesHttpsWithTheBuildsSelfSignedCertificate() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(Path.of("target/tls/cert.pem"))) {
            trust.setCertificateEntry("sample", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        var trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        var context = SSLContext.getInstance("TLS");
        context.init(null, trustManagers.getTrustManagers(), null);
        try (var client = HttpClient.newBuilder().sslContext(context).build()) {
            var health = client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/actuator/health")).build(),
                    BodyHandlers.ofString());
            assertThat(health.body()).contains("\"status\":\"UP\"");
            assertThat(health.sslSession()).hasValueSatisfying(s -> assertThat(s.getProtocol()).isEqualTo("TLSv1.3"));
            String metrics = client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/actuator/prometheus"))
                    .build(), BodyHandlers.ofString()).body();
            assertThat(metrics).contains("netpoll_tls_handshakes_total{result=\"success\"");
        }
    }
}
