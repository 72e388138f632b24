package dev.netpoll.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A Spring Boot application started from its {@code main}, in a JVM of its own, keeps serving
 * after {@code main} returns, on every transport: the JVM lives as long as a non-daemon thread
 * does, and Netpoll's tasks are virtual threads, which are daemons.
 */
@Timeout(120)
class StandaloneApplicationTest {

    private static final Pattern STARTED = Pattern.compile("Netpoll started on port (\\d+)");

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll"})
    void anApplicationKeepsServingAfterItsMainReturns(String transport) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        var process = new ProcessBuilder(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp", classPath,
                SampleApplication.class.getName(), "--server.netpoll.transport=" + transport, "--server.port=0"))
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

            Thread.sleep(5_000);
            assertThat(process.isAlive()).as("still running 5 s after start:\n%s", output).isTrue();
            try (var client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
                var response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bound + "/hello"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).contains("hello");
            }
        } finally {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
