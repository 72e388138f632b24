package dev.netpoll.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/** A real Prometheus server scrapes the running sample service and reports its gauges. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class PrometheusScrapeTest {

    @LocalServerPort
    int port;

    @TempDir
    Path work;

    private Process prometheus;

    @AfterEach
    void stopPrometheus() throws Exception {
        if (prometheus != null) {
            prometheus.destroy();
            prometheus.waitFor();
        }
    }

    @Test
    void prometheusReportsTheTargetUpAndAGoroutineSample() throws Exception {
        String binary = Environment.executable("prometheus").map(Path::toString).orElse(null);
        Environment.require(binary != null, "The prometheus binary", "NETPOLL_REQUIRE_PROMETHEUS");
        int prometheusPort;
        try (var socket = new ServerSocket(0)) {
            prometheusPort = socket.getLocalPort();
        }
        Path config = work.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 2s
                scrape_configs:
                  - job_name: netpoll
                    metrics_path: /actuator/prometheus
                    static_configs:
                      - targets: ["127.0.0.1:%d"]
                """.formatted(port));
        prometheus = new ProcessBuilder(binary, "--config.file=" + config, "--storage.tsdb.path=" + work.resolve("data"),
                "--web.listen-address=127.0.0.1:" + prometheusPort)
                .redirectErrorStream(true).redirectOutput(work.resolve("prometheus.log").toFile()).start();
        try (var client = HttpClient.newHttpClient()) {
            String api = "http://127.0.0.1:" + prometheusPort + "/api/v1/query?query=";
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().untilAsserted(() -> {
                String up = client.send(HttpRequest.newBuilder(URI.create(api + URLEncoder.encode("up{job=\"netpoll\"}", StandardCharsets.UTF_8))).build(),
                        BodyHandlers.ofString()).body();
                assertThat(up).contains("\"status\":\"success\"").contains("\"value\":[").contains(",\"1\"]");
                String goroutines = client.send(HttpRequest.newBuilder(URI.create(api + "netpoll_goroutines")).build(),
                        BodyHandlers.ofString()).body();
                assertThat(goroutines).contains("\"__name__\":\"netpoll_goroutines\"").contains("\"server\":\"main\"");
            });
        }
    }
}
