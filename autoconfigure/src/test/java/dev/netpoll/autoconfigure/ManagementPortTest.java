package dev.netpoll.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

/** Actuator on its own port, served by a second Netpoll server in the same JVM. */
@DirtiesContext
@SpringBootTest(classes = SampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "management.server.port=0", "management.endpoints.web.exposure.include=health,netpoll,prometheus",
        // Tomcat is on this module's test class path too; its management factory has the same bean name.
        "spring.autoconfigure.exclude=org.springframework.boot.tomcat.autoconfigure.actuate.web.server.TomcatServletManagementContextAutoConfiguration,"
                + "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration,"
                + "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration,"
                + "org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration,"
                + "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration,"
                + "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration" })
class ManagementPortTest {

    private final HttpClient client = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @Autowired
    MeterRegistry registry;

    @AfterEach
    void closeClient() {
        client.close();
    }

    private HttpResponse<String> get(int toPort, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + toPort + path)).build(), BodyHandlers.ofString());
    }

    @Test
    void actuatorAnswersOnTheManagementPortOnly() throws Exception {
        assertThat(managementPort).isNotEqualTo(port).isPositive();
        assertThat(get(managementPort, "/actuator/health").body()).contains("\"status\":\"UP\"");
        assertThat(get(port, "/actuator/health").statusCode()).isEqualTo(404);
        assertThat(get(port, "/hello").statusCode()).isEqualTo(200);
    }

    @Test
    void bothServersAreNetpollAndToldApartInTheMetrics() throws Exception {
        assertThat(registry.get("netpoll.goroutines").tag("server", "main").gauge().value()).isPositive();
        assertThat(registry.get("netpoll.goroutines").tag("server", "management").gauge().value()).isPositive();
        String runtime = get(managementPort, "/actuator/netpoll").body();
        assertThat(runtime).contains("\"main\":{\"port\":" + port).contains("\"management\":{\"port\":" + managementPort);
    }
}
