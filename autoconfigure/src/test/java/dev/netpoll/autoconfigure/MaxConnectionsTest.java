package dev.netpoll.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netpoll.http.ConnectionLimit;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** server.netpoll.max-connections: derived from the descriptor limit unless set, and visible. */
@ExtendWith(OutputCaptureExtension.class)
class MaxConnectionsTest {

    private static ConfigurableApplicationContext run(String... properties) {
        String[] args = new String[properties.length + 3];
        args[0] = "--server.port=0";
        args[1] = "--spring.main.banner-mode=off";
        args[2] = "--management.endpoints.web.exposure.include=netpoll";
        System.arraycopy(properties, 0, args, 3, properties.length);
        return SpringApplication.run(SampleApplication.class, args);
    }

    private static NetpollWebServer server(ConfigurableApplicationContext context) {
        return (NetpollWebServer) ((WebServerApplicationContext) context).getWebServer();
    }

    @Test
    void withoutThePropertyTheLimitIsDerivedFromTheDescriptorLimitLoggedAndShownInTheEndpoint(CapturedOutput output)
            throws Exception {
        long descriptors = ConnectionLimit.descriptorLimit().orElseThrow();
        int expected = ConnectionLimit.derive(descriptors);
        try (var context = run(); var client = HttpClient.newHttpClient()) {
            NetpollWebServer server = server(context);
            assertThat(server.getHttpServer().httpConfig().maxConnections()).isEqualTo(expected);
            assertThat(output.getOut()).contains("at most " + expected + " connections (descriptor limit "
                    + descriptors + " less " + (descriptors - expected) + " in reserve)");
            String runtime = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.getPort() + "/actuator/netpoll")).build(),
                    BodyHandlers.ofString()).body();
            assertThat(runtime).contains("\"maxConnections\":" + expected)
                    .contains("\"descriptorLimit\":" + descriptors);
        }
        assertThat(output.getOut()).doesNotContain("server.netpoll.max-connections");
    }

    @Test
    void anExplicitValueWinsAndOneAboveTheDescriptorLimitIsWarnedAbout(CapturedOutput output) {
        long descriptors = ConnectionLimit.descriptorLimit().orElseThrow();
        int tooMany = (int) descriptors + 1;
        try (var context = run("--server.netpoll.max-connections=" + tooMany)) {
            assertThat(server(context).getHttpServer().httpConfig().maxConnections()).isEqualTo(tooMany);
            assertThat(output.getOut()).contains("at most " + tooMany + " connections")
                    .containsPattern("WARN .*server.netpoll.max-connections=" + tooMany
                            + " is above the " + ConnectionLimit.derive(descriptors) + " that the descriptor limit");
        }
    }

    @Test
    void anExplicitValueWithinTheDescriptorLimitWinsWithoutAWarning(CapturedOutput output) {
        try (var context = run("--server.netpoll.max-connections=100")) {
            assertThat(server(context).getHttpServer().httpConfig().maxConnections()).isEqualTo(100);
            assertThat(output.getOut()).contains("at most 100 connections (configured; descriptor limit").doesNotContain("is above the");
        }
    }
}
