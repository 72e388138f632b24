package dev.netpoll.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.servlet.context.AnnotationConfigServletWebServerApplicationContext;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code server.ssl.*} and SSL bundles through Boot's own resolution: a key store, PEM files (RSA
 * and EC), a key alias, protocols, client authentication with a trust store, and a reloaded bundle
 * served to new connections. Misconfiguration fails start-up naming what to change.
 */
class ServerSslTest {

    @TempDir
    static Path dir;
    static Path rsaStore;
    static Path ecStore;
    static Path clientStore;

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner(
            AnnotationConfigServletWebServerApplicationContext::new)
            .withConfiguration(AutoConfigurations.of(NetpollServletWebServerAutoConfiguration.class, SslAutoConfiguration.class))
            .withUserConfiguration(Describe.class)
            .withPropertyValues("server.port=0");

    @BeforeAll
    static void certificates() throws Exception {
        rsaStore = TestPki.keyStore(dir, "rsa", "RSA", "rsa-server");
        ecStore = TestPki.keyStore(dir, "ec", "EC", "ec-server");
        clientStore = TestPki.keyStore(dir, "client", "EC", "client");
        TestPki.pem(ecStore, "ec", dir.resolve("ec.crt"), dir.resolve("ec.key"));
        TestPki.pem(rsaStore, "rsa", dir.resolve("rsa.crt"), dir.resolve("rsa.key"));
    }

    @Configuration(proxyBeanMethods = false)
    static class Describe {
        @Bean
        ServletRegistrationBean<HttpServlet> describe() {
            return new ServletRegistrationBean<>(new HttpServlet() {
                @Override
                protected void service(HttpServletRequest q, HttpServletResponse s) throws IOException {
                    var chain = (X509Certificate[]) q.getAttribute("jakarta.servlet.request.X509Certificate");
                    s.getWriter().print(q.isSecure() + " " + q.getRequestURL() + " peer="
                            + (chain == null ? "-" : chain[0].getSubjectX500Principal().getName()));
                }
            }, "/*");
        }
    }

    private static int port(AssertableWebApplicationContext context) {
        assertThat(context).hasNotFailed();
        return ((WebServerApplicationContext) context.getSourceApplicationContext()).getWebServer().getPort();
    }

    private static HttpResponse<String> get(int port, Path trusted, Path own) throws Exception {
        try (var client = HttpClient.newBuilder().sslContext(TestPki.client(trusted, own)).build()) {
            return client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/x")).build(), BodyHandlers.ofString());
        }
    }

    private static String subject(HttpResponse<?> response) throws Exception {
        return ((X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0]).getSubjectX500Principal().getName();
    }

    @Test
    void keyStoreWithKeyAliasServesHttps() {
        runner.withPropertyValues("server.ssl.key-store=file:" + rsaStore, "server.ssl.key-store-password=changeit",
                "server.ssl.key-alias=rsa").run(context -> {
                    int port = port(context);
                    var response = get(port, rsaStore, null);
                    assertThat(response.body()).isEqualTo("true https://localhost:" + port + "/x peer=-");
                    assertThat(subject(response)).isEqualTo("CN=rsa-server");
                });
    }

    @Test
    void pemCertificateAndKeyInServerSslServeHttps() {
        runner.withPropertyValues("server.ssl.certificate=file:" + dir.resolve("ec.crt"),
                "server.ssl.certificate-private-key=file:" + dir.resolve("ec.key")).run(context -> {
                    var response = get(port(context), ecStore, null);
                    assertThat(response.statusCode()).isEqualTo(200);
                    assertThat(subject(response)).isEqualTo("CN=ec-server");
                });
    }

    @Test
    void pemBundleWithProtocolsAndCiphersIsUsedThroughServerSslBundle() {
        runner.withPropertyValues("server.ssl.bundle=web",
                "spring.ssl.bundle.pem.web.keystore.certificate=file:" + dir.resolve("rsa.crt"),
                "spring.ssl.bundle.pem.web.keystore.private-key=file:" + dir.resolve("rsa.key"),
                "spring.ssl.bundle.pem.web.options.enabled-protocols=TLSv1.2",
                "spring.ssl.bundle.pem.web.options.ciphers=TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256").run(context -> {
                    var response = get(port(context), rsaStore, null);
                    assertThat(response.sslSession().orElseThrow().getProtocol()).isEqualTo("TLSv1.2");
                    assertThat(response.sslSession().orElseThrow().getCipherSuite()).isEqualTo("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
                });
    }

    @Test
    void jksBundleWithClientAuthNeedRequiresATrustedClientCertificate() {
        runner.withPropertyValues("server.ssl.bundle=mtls", "server.ssl.client-auth=need",
                "spring.ssl.bundle.jks.mtls.keystore.location=file:" + ecStore,
                "spring.ssl.bundle.jks.mtls.keystore.password=changeit",
                "spring.ssl.bundle.jks.mtls.keystore.type=PKCS12",
                "spring.ssl.bundle.jks.mtls.truststore.location=file:" + clientStore,
                "spring.ssl.bundle.jks.mtls.truststore.password=changeit",
                "spring.ssl.bundle.jks.mtls.truststore.type=PKCS12").run(context -> {
                    int port = port(context);
                    assertThat(get(port, ecStore, clientStore).body()).endsWith("peer=CN=client");
                    assertThatThrownBy(() -> get(port, ecStore, null)).isInstanceOf(IOException.class);
                });
    }

    @Test
    void reloadedPemBundleIsServedToNewConnections() throws Exception {
        Path cert = dir.resolve("reload.crt");
        Path key = dir.resolve("reload.key");
        Files.copy(dir.resolve("rsa.crt"), cert, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(dir.resolve("rsa.key"), key, StandardCopyOption.REPLACE_EXISTING);
        runner.withPropertyValues("server.ssl.bundle=web", "spring.ssl.bundle.pem.web.reload-on-update=true",
                "spring.ssl.bundle.watch.file.quiet-period=200ms",
                "spring.ssl.bundle.pem.web.keystore.certificate=file:" + cert,
                "spring.ssl.bundle.pem.web.keystore.private-key=file:" + key).run(context -> {
                    int port = port(context);
                    assertThat(subject(get(port, rsaStore, null))).isEqualTo("CN=rsa-server");
                    Files.copy(dir.resolve("ec.key"), key, StandardCopyOption.REPLACE_EXISTING);
                    Files.copy(dir.resolve("ec.crt"), cert, StandardCopyOption.REPLACE_EXISTING);
                    // Until the reload, new connections still get the old certificate: look without trusting.
                    Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).untilAsserted(
                            () -> assertThat(subject(port, "localhost")).isEqualTo("CN=ec-server"));
                    assertThat(subject(get(port, ecStore, null))).isEqualTo("CN=ec-server");
                });
    }

    @Test
    void serverNameBundlesPickTheCertificateByTheRequestedHostName() {
        runner.withPropertyValues("server.ssl.bundle=main",
                "spring.ssl.bundle.pem.main.keystore.certificate=file:" + dir.resolve("rsa.crt"),
                "spring.ssl.bundle.pem.main.keystore.private-key=file:" + dir.resolve("rsa.key"),
                "spring.ssl.bundle.pem.other.keystore.certificate=file:" + dir.resolve("ec.crt"),
                "spring.ssl.bundle.pem.other.keystore.private-key=file:" + dir.resolve("ec.key"),
                "server.ssl.server-name-bundles[0].server-name=other.localhost",
                "server.ssl.server-name-bundles[0].bundle=other").run(context -> {
                    int port = port(context);
                    assertThat(subject(port, "other.localhost")).isEqualTo("CN=ec-server");
                    assertThat(subject(port, "localhost")).isEqualTo("CN=rsa-server");
                });
    }

    /** The subject of the certificate presented to a client asking for {@code serverName}, trusted or not. */
    private static String subject(int port, String serverName) throws Exception {
        var context = javax.net.ssl.SSLContext.getInstance("TLS");
        context.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        try (var socket = (javax.net.ssl.SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            var parameters = socket.getSSLParameters();
            parameters.setServerNames(java.util.List.of(new javax.net.ssl.SNIHostName(serverName)));
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
        }
    }

    @Test
    void missingKeyStoreFailsStartUpNamingServerSsl() {
        runner.withPropertyValues("server.ssl.key-store=file:" + dir.resolve("missing.p12"),
                "server.ssl.key-store-password=changeit").run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).hasStackTraceContaining("Netpoll cannot set up TLS from server.ssl.*");
                });
    }

    @Test
    void protocolDisabledByTheJdkFailsStartUpInsteadOfNeverBeingNegotiated() {
        runner.withPropertyValues("server.ssl.key-store=file:" + rsaStore, "server.ssl.key-store-password=changeit",
                "server.ssl.enabled-protocols=TLSv1.2,TLSv1.1").run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).hasStackTraceContaining("[TLSv1.1] disabled by this JDK")
                            .hasStackTraceContaining("server.ssl.enabled-protocols");
                });
    }

    @Test
    void unsupportedProtocolFailsStartUpNamingTheProperty() {
        runner.withPropertyValues("server.ssl.key-store=file:" + rsaStore, "server.ssl.key-store-password=changeit",
                "server.ssl.enabled-protocols=TLSv9").run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).hasStackTraceContaining("[TLSv9] not supported")
                            .hasStackTraceContaining("server.ssl.enabled-protocols");
                });
    }


    @Test
    void anAdditionalHttpListenerBesideAnHttpsPortStaysCleartext() {
        runner.withPropertyValues("server.ssl.certificate=file:" + dir.resolve("ec.crt"),
                "server.ssl.certificate-private-key=file:" + dir.resolve("ec.key"))
                .withBean(WebServerFactoryCustomizer.class, () -> (WebServerFactoryCustomizer<NetpollServletWebServerFactory>)
                        factory -> factory.addAdditionalListeners(AdditionalListener.http(0)))
                .run(context -> {
                    int port = port(context);
                    var web = (NetpollWebServer) ((WebServerApplicationContext) context.getSourceApplicationContext()).getWebServer();
                    int plain = web.getHttpServer().addresses().get(1).getPort();
                    assertThat(get(port, ecStore, null).body()).startsWith("true https://");
                    try (var client = HttpClient.newHttpClient()) {
                        var response = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + plain + "/x")).build(),
                                BodyHandlers.ofString());
                        assertThat(response.body()).startsWith("false http://");
                    }
                });
    }
}
