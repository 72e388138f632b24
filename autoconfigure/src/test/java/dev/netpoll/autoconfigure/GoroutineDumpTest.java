package dev.netpoll.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /actuator/netpoll/goroutines}, Go's {@code /debug/pprof/goroutine} for Netpoll: what a
 * user debugging a stuck server reads, with requests stuck in the application, idle keep-alive
 * connections, a client that stopped reading, and the accept loop.
 */
@DirtiesContext
@SpringBootTest(classes = SampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = "management.endpoints.web.exposure.include=health,netpoll")
@Import(GoroutineDumpTest.Stuck.class)
class GoroutineDumpTest {

    /** How the dump writes a short duration: {@code 850ms}, {@code 12.3s}. */
    private static final String DURATION = "\\d+(ms|\\.\\ds)";
    private static final String STUCK = "GET /stuck HTTP/1.1\r\nHost: t\r\n\r\n";

    /** Requests that wait for a latch no one counts down, until the test ends: a stuck server. */
    @RestController
    static class Stuck {

        volatile CountDownLatch latch = new CountDownLatch(1);

        @GetMapping("/stuck")
        String stuck() throws InterruptedException {
            latch.await();
            return "released";
        }
    }

    @Autowired
    Stuck stuck;

    @LocalServerPort
    int port;

    @Autowired
    WebServerApplicationContext context;

    private final List<SocketChannel> clients = new ArrayList<>();

    @AfterEach
    void closeClientsAndLetTheirRequestsEnd() throws IOException {
        for (SocketChannel client : clients) {
            client.close();
        }
        stuck.latch.countDown();
        stuck.latch = new CountDownLatch(1);
        // Tests share the server: the next one must not count this one's sleeping requests.
        await().atMost(Duration.ofSeconds(10)).until(() -> requestsInFlight() == 0);
    }

    private HttpResponse<String> get(String path) throws Exception {
        // A client per call, closed: its pooled connection would otherwise linger as an idle task.
        try (var client = HttpClient.newHttpClient()) {
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                    BodyHandlers.ofString());
        }
    }

    private void open(int count, String request) throws IOException {
        for (int i = 0; i < count; i++) {
            var channel = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            if (request != null) {
                channel.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
            }
            clients.add(channel);
        }
    }

    private long requestsInFlight() {
        return ((NetpollWebServer) context.getWebServer()).getHttpServer().requestsInFlight();
    }

    private static int count(String text, String regex) {
        var matcher = Pattern.compile(regex).matcher(text);
        int n = 0;
        while (matcher.find()) {
            n++;
        }
        return n;
    }

    @Test
    void everyGoroutineIsListedWithItsStateConnectionRequestAndStack() throws Exception {
        open(3, STUCK);
        open(2, null);
        await().atMost(Duration.ofSeconds(10)).until(() -> requestsInFlight() >= 3);

        var response = get("/actuator/netpoll/goroutines?debug=2");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
        String dump = response.body();
        assertThat(dump).startsWith("# server main, port " + port + "\n");
        // The three stuck requests: parked on the latch inside the controller, with their request.
        assertThat(count(dump, "goroutine \\d+ \\[parked elsewhere, in request " + DURATION + "]: netpoll-conn-\\d+\n"
                + "connection 127\\.0\\.0\\.1:\\d+ \\(open " + DURATION + ", 1 request\\)\n"
                + "request GET /stuck HTTP/1\\.1\n"
                + "(\tat .*\n)*\tat java\\.base/java\\.util\\.concurrent\\.CountDownLatch\\.await\\(.*\n"
                + "\tat dev\\.netpoll\\.autoconfigure\\.GoroutineDumpTest\\$Stuck\\.stuck\\(GoroutineDumpTest\\.java:\\d+\\)\n"))
                .isEqualTo(3);
        // The two idle connections: parked in read in the poller, waiting for their first request.
        assertThat(count(dump, "goroutine \\d+ \\[parked in read, idle " + DURATION + "]: netpoll-conn-\\d+\n"
                + "connection 127\\.0\\.0\\.1:\\d+ \\(open " + DURATION + ", 0 requests\\)\n"
                + "(\tat .*\n)*\tat dev\\.netpoll\\.poll\\.PollDesc\\.waitRead\\(.*\n")).isEqualTo(2);
        assertThat(dump).containsPattern("goroutine \\d+ \\[parked in accept]: netpoll-conn-\\d+\n(\tat .*\n)*"
                + "\tat dev\\.netpoll\\.runtime\\.AcceptLoop\\.run\\(");
        // The dump's own request, running.
        assertThat(dump).containsPattern("goroutine \\d+ \\[running, in request " + DURATION + "]: netpoll-conn-\\d+\n"
                + ".*\nrequest GET /actuator/netpoll/goroutines\\?debug=2 HTTP/1\\.1\n");
    }

    @Test
    void identicalStacksAreGroupedWithTheirCountLargestFirst() throws Exception {
        open(3, STUCK);
        open(20, null);
        await().atMost(Duration.ofSeconds(10)).until(() -> requestsInFlight() >= 3);

        String dump = get("/actuator/netpoll/goroutines").body();

        assertThat(dump).startsWith("# server main, port " + port + "\ngoroutine profile: total ");
        String[] groups = dump.split("\n\n");
        assertThat(groups[0]).contains("\n20 @ parked in read, idle\n#\t").contains("PollDesc.waitRead(");
        assertThat(groups[1]).startsWith("3 @ parked elsewhere, in request\n#\t")
                .contains("#\tdev.netpoll.autoconfigure.GoroutineDumpTest$Stuck.stuck(GoroutineDumpTest.java:");
        assertThat(dump).contains("\n1 @ parked in accept\n").contains("\n1 @ running, in request\n");
        var total = Pattern.compile("goroutine profile: total (\\d+)").matcher(dump);
        assertThat(total.find()).isTrue();
        int counted = Pattern.compile("(?m)^(\\d+) @ ").matcher(dump).results().mapToInt(m -> Integer.parseInt(m.group(1))).sum();
        assertThat(counted).isEqualTo(Integer.parseInt(total.group(1))).isGreaterThanOrEqualTo(25);
    }

    @Test
    void aClientThatStopsReadingShowsItsTaskParkedInWrite() throws Exception {
        open(1, "GET /big?mb=64 HTTP/1.1\r\nHost: t\r\n\r\n");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(get("/actuator/netpoll/goroutines?debug=2").body())
                .containsPattern("\\[parked in write, in request " + DURATION + "]: netpoll-conn-\\d+\n.*\n"
                        + "request GET /big\\?mb=64 HTTP/1\\.1\n"));
    }

    @Test
    void aDebugLevelOtherThanOneOrTwoIsABadRequestAndOtherProfilesAreNotFound() throws Exception {
        var wrong = get("/actuator/netpoll/goroutines?debug=3");
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(get("/actuator/netpoll/heap").statusCode()).isEqualTo(404);
    }
}
