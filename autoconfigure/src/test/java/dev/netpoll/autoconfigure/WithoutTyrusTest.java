package dev.netpoll.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

    private static final Pattern STARTED = Pattern.compile("Netpoll started on port (\\d+)");

    @Test
    void metricsAndTheRuntimeEndpointWorkWithoutTyrus() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        String full = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String classPath = Arrays.stream(full.split(File.pathSeparator))
                .filter(entry -> !entry.contains("tyrus"))
                .collect(Collectors.joining(File.pathSeparator));
        assertThat(classPath).isNotEqualTo(full);
        var process = new ProcessBuilder(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp", classPath,
                SampleApplication.class.getName(), "--server.port=0",
                "--management.endpoints.web.exposure.include=health,metrics,prometheus,netpoll"))
                .redirectErrorStream(true).start();
        var output = new StringBuffer();
        try {
            var reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            var port = new CompletableFuture<Integer>();
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    for (String line; (line = reader.readLine()) != null; ) {
                        output.append(line).append('\n');
                        Matcher m = STARTED.matcher(line);
                        if (m.find()) {
                            port.complete(Integer.parseInt(m.group(1)));
                        }
                    }
                } catch (Exception ignored) {
                    // the process ended
                }
                port.complete(-1);
            });
            int bound = port.get(60, TimeUnit.SECONDS);
            assertThat(bound).as("started:\n%s", output).isPositive();
            try (var client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
                for (String path : List.of("/actuator/netpoll", "/actuator/prometheus", "/actuator/metrics/netpoll.goroutines")) {
                    var response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bound + path))
                            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(response.statusCode()).as("%s:\n%s\n%s", path, response.body(), output).isEqualTo(200);
                }
            }
            assertThat(output.toString()).doesNotContain("NoClassDefFoundError");
        } finally {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
