package dev.netpoll.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

/** The goroutine and thread gauges, the Prometheus output and the runtime endpoint under load. */
@DirtiesContext
@SpringBootTest(classes = SampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = "management.endpoints.web.exposure.include=health,metrics,prometheus,netpoll")
class RuntimeMetricsTest {

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry registry;

    private double gauge(String name) {
        return registry.get(name).tag("server", "main").gauge().value();
    }

    private String get(String path, String accept) throws Exception {
        // A client per call, closed: a pooled keep-alive connection would be a live task too.
        try (var client = HttpClient.newHttpClient()) {
            var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Accept", accept).build();
            var response = client.send(request, BodyHandlers.ofString());
            assertThat(response.statusCode()).as(path).isEqualTo(200);
            return response.body();
        }
    }

    private List<SocketChannel> holdSlowRequests(int count, int millis) throws IOException {
        List<SocketChannel> clients = new ArrayList<>(count);
        byte[] request = ("GET /slow?ms=" + millis + " HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < count; i++) {
            var channel = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            channel.write(ByteBuffer.wrap(request));
            clients.add(channel);
        }
        return clients;
    }

    private static void awaitResponses(List<SocketChannel> clients, String expected) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        for (SocketChannel channel : clients) {
            var text = new StringBuilder();
            buffer.clear();
            while (channel.read(buffer) >= 0) {
                text.append(new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII));
                buffer.clear();
            }
            assertThat(text).startsWith("HTTP/1.1 200").contains(expected);
            channel.close();
        }
    }

    @Test
    void thousandSlowRequestsAreThousandGoroutinesOnAHandfulOfThreads() throws Exception {
        // Warm up: carriers and the JDK's timer thread start on first use.
        awaitResponses(holdSlowRequests(50, 100), "slept 100");
        await().pollInSameThread().atMost(Duration.ofSeconds(10)).until(() -> gauge("netpoll.goroutines.parked") >= 0
                && gauge("netpoll.requests.active") == 0);
        double goroutinesBefore = gauge("netpoll.goroutines");
        double threadsBefore = gauge("netpoll.threads");
        var namesBefore = threadNames();

        List<SocketChannel> clients = holdSlowRequests(1000, 3000);
        await().pollInSameThread().atMost(Duration.ofSeconds(10)).until(() -> gauge("netpoll.requests.active") >= 1000);
        double goroutines = gauge("netpoll.goroutines");
        double threads = gauge("netpoll.threads");
        System.out.printf("1000 slow requests: goroutines %.0f -> %.0f, threads %.0f -> %.0f%n",
                goroutinesBefore, goroutines, threadsBefore, threads);
        assertThat(goroutines).isGreaterThanOrEqualTo(1000);
        assertThat(threads).isLessThan(40);

        String runtime = get("/actuator/netpoll", "application/json");
        assertThat(runtime).contains("\"transport\":\"epoll\"").contains("\"in the application\":{\"count\":")
                .contains("GET /slow?ms=3000 HTTP/1.1").contains("\"remoteAddress\":\"127.0.0.1:")
                .contains("\"parked in accept\":{\"count\":1");
        var count = Pattern.compile("\"in the application\":\\{\"count\":(\\d+)").matcher(runtime);
        assertThat(count.find()).isTrue();
        assertThat(Integer.parseInt(count.group(1))).isGreaterThanOrEqualTo(1000);

        awaitResponses(clients, "slept 3000");
        await().pollInSameThread().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(gauge("netpoll.goroutines")).isLessThanOrEqualTo(goroutinesBefore);
            var added = threadNames();
            added.removeAll(namesBefore);
            assertThat(gauge("netpoll.threads")).as("threads added: %s", added).isLessThanOrEqualTo(threadsBefore);
        });
    }

    private static java.util.Set<String> threadNames() {
        var names = new java.util.TreeSet<String>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            names.add(t.getName());
        }
        return names;
    }

    @Test
    void prometheusOutputHasTheHeadlineGaugesAndParsesAsTextFormat() throws Exception {
        String text = get("/actuator/prometheus", "text/plain;version=0.0.4");
        assertThat(text).contains("# TYPE netpoll_goroutines gauge").contains("# TYPE netpoll_threads gauge")
                .containsPattern("(?m)^netpoll_goroutines\\{server=\"main\"} [0-9.]+$")
                .containsPattern("(?m)^netpoll_threads\\{server=\"main\"} [0-9.]+$")
                .containsPattern("(?m)^netpoll_goroutines_parked\\{reason=\"accept\",server=\"main\"} 1\\.0$")
                .contains("netpoll_connections_accepted_total{server=\"main\"}")
                .containsPattern("(?m)^netpoll_connections_max\\{server=\"main\"} [1-9][0-9.E]*$");
        // Prometheus text exposition format 0.0.4: comments, blank lines, or samples.
        Pattern comment = Pattern.compile("# (HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*|TYPE [a-zA-Z_:][a-zA-Z0-9_:]* (counter|gauge|histogram|summary|untyped))");
        Pattern sample = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\\\n]|\\\\[\"\\\\n])*\",?)*})? "
                + "([-+]?([0-9]*\\.?[0-9]+([eE][-+]?[0-9]+)?|NaN|Inf))( -?[0-9]+)?");
        for (String line : text.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            assertThat(line.startsWith("#") ? comment.matcher(line).matches() : sample.matcher(line).matches())
                    .as("line in Prometheus text format: %s", line).isTrue();
        }
    }

    @Test
    void metricsEndpointDescribesTheGauges() throws Exception {
        String goroutines = get("/actuator/metrics/netpoll.goroutines", "application/json");
        assertThat(goroutines).contains("\"baseUnit\":\"goroutines\"").contains("Number of live Netpoll tasks");
        String threads = get("/actuator/metrics/netpoll.threads", "application/json");
        assertThat(threads).contains("\"baseUnit\":\"threads\"").contains("OS (platform) threads");
    }
}
