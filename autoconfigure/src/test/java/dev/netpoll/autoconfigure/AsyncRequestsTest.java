package dev.netpoll.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;

/** Spring MVC's async request handling on Netpoll: the connection's task parks meanwhile. */
@DirtiesContext
@SpringBootTest(classes = SampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@Import(AsyncEndpoints.class)
class AsyncRequestsTest {

    private final HttpClient client = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Autowired
    WebServerApplicationContext context;

    @AfterEach
    void closeClient() {
        client.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(), BodyHandlers.ofString());
    }

    @Test
    void callableDeferredResultFutureAndWebAsyncTask() throws Exception {
        assertThat(get("/async/callable").body()).isEqualTo("callable done");
        assertThat(get("/async/deferred").body()).isEqualTo("deferred done");
        assertThat(get("/async/future").body()).isEqualTo("future done");
        assertThat(get("/async/task").body()).isEqualTo("task done");
    }

    @Test
    void deferredResultTimeoutIsAnsweredBySpringsDefaultHandling() throws Exception {
        var response = get("/async/deferred-timeout");
        assertThat(response.statusCode()).isEqualTo(503);
    }

    @Test
    void streamingBodiesAndEmitters() throws Exception {
        assertThat(get("/async/stream").body()).isEqualTo("chunk0;chunk1;chunk2;");
        assertThat(get("/async/emitter").body()).isEqualTo("part0;part1;part2;");
    }

    @Test
    void serverSentEventsArriveInOrder() throws Exception {
        var response = get("/async/sse");
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
        assertThat(response.body()).isEqualTo("id:0\ndata:event 0\n\nid:1\ndata:event 1\n\nid:2\ndata:event 2\n\n"
                + "id:3\ndata:event 3\n\nid:4\ndata:event 4\n\n");
    }

    @Test
    void clientLeavingAnEndlessStreamEndsItsTask() throws Exception {
        var engine = ((NetpollWebServer) context.getWebServer()).getHttpServer();
        await().atMost(Duration.ofSeconds(10)).until(() -> engine.requestsInFlight() == 0);
        long before = engine.stats().goroutines();
        try (var socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.getOutputStream().write("GET /async/sse-forever HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            int ticks = 0;
            for (String line; ticks < 3 && (line = in.readLine()) != null; ) {
                if (line.contains("data:tick")) {
                    ticks++;
                }
            }
            assertThat(ticks).isEqualTo(3);
            assertThat(engine.stats().goroutines()).isGreaterThan(before);
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(engine.requestsInFlight()).isZero();
            assertThat(engine.stats().goroutines()).isLessThanOrEqualTo(before);
        });
    }
}
