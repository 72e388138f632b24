package dev.netpoll.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@code management.server.ssl.*} gives the Actuator's own Netpoll server TLS, while the main port stays cleartext. */
@DirtiesContext
@SpringBootTest(classes = SampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "management.server.port=0", "management.endpoints.web.exposure.include=health",
        "spring.autoconfigure.exclude=org.springframework.boot.tomcat.autoconfigure.actuate.web.server.TomcatServletManagementContextAutoConfiguration,"
                + "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration,"
                + "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration,"
                + "org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration,"
                + "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration,"
                + "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration" })
class ManagementSslTest {

    private static Path keyStore;

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @DynamicPropertySource
    static void tls(DynamicPropertyRegistry registry) throws Exception {
        keyStore = TestPki.keyStore(Files.createTempDirectory("netpoll-management-tls"), "management", "RSA", "management");
        registry.add("management.server.ssl.key-store", () -> "file:" + keyStore);
        registry.add("management.server.ssl.key-store-password", () -> TestPki.PASSWORD);
    }

    @Test
    void actuatorPortSpeaksHttpsAndTheMainPortCleartext() throws Exception {
        try (var tls = HttpClient.newBuilder().sslContext(TestPki.client(keyStore, null)).build();
                var plain = HttpClient.newHttpClient()) {
            var health = tls.send(HttpRequest.newBuilder(URI.create("https://localhost:" + managementPort + "/actuator/health"))
                    .build(), BodyHandlers.ofString());
            assertThat(health.body()).contains("\"status\":\"UP\"");
            assertThat(health.sslSession()).isPresent();
            assertThat(plain.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/hello")).build(),
                    BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        }
    }
}
