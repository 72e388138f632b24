package dev.netpoll.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An application that excludes Tyrus (to go without WebSocket) still gets its metrics and the
 * runtime endpoint: nothing that reports on WebSocket may load the container class, whose
 * superclass is Tyrus'. Runs the sample application in a JVM whose class path has no Tyrus jar.
 */
@Timeout(120)
class WithoutTyrusTest {

    @Test
    void metricsAndTheRuntimeEndpointWorkWithoutTyrus() throws Exception {
        String full = ChildApplication.testClassPath();
        String classPath = Arrays.stream(full.split(File.pathSeparator))
                .filter(entry -> !entry.contains("tyrus"))
                .collect(Collectors.joining(File.pathSeparator));
        assertThat(classPath).isNotEqualTo(full);
        try (var application = new ChildApplication(classPath, "--server.port=0",
                "--management.endpoints.web.exposure.include=health,metrics,prometheus,netpoll")) {
            int bound = application.port();
            assertThat(bound).as("started:\n%s", application.output()).isPositive();
            try (var client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
                for (String path : List.of("/actuator/netpoll", "/actuator/prometheus", "/actuator/metrics/netpoll.goroutines")) {
                    var response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bound + path))
                            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(response.statusCode()).as("%s:\n%s\n%s", path, response.body(), application.output())
                            .isEqualTo(200);
                }
            }
            assertThat(application.output()).doesNotContain("NoClassDefFoundError");
        }
    }
}
