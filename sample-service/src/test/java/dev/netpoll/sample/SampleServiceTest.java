package dev.netpoll.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The sample service's endpoints, including bad input, over HTTP. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class SampleServiceTest {

    private final HttpClient client = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @AfterEach
    void closeClient() {
        client.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(), BodyHandlers.ofString());
    }

    @Test
    void rootCountsRequests() throws Exception {
        String first = get("/").body();
        String second = get("/").body();
        assertThat(first).matches("Request #\\d+\n");
        long a = Long.parseLong(first.substring(9).trim());
        assertThat(second).isEqualTo("Request #" + (a + 1) + "\n");
    }

    @Test
    void sleepAndDownstreamPark() throws Exception {
        assertThat(get("/sleep?ms=20").body()).isEqualTo("slept 20 ms\n");
        assertThat(get("/downstream?ms=20").body()).isEqualTo("downstream said: slept 20 ms\n");
    }

    @Test
    void negativeOrHugeDelaysAreRefusedWithA400ThatSaysWhy() throws Exception {
        for (String path : new String[] {"/sleep?ms=-1", "/sleep?ms=999999999", "/downstream?ms=-5"}) {
            var response = get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(400);
            assertThat(response.body()).as(path).contains("ms must be between 0 and 60000");
        }
        assertThat(get("/sleep?ms=abc").statusCode()).isEqualTo(400);
    }

    @Test
    void echoReturnsTheBodyAndItsType() throws Exception {
        var response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/echo"))
                .header("Content-Type", "text/plain").POST(BodyPublishers.ofString("ping pong")).build(), BodyHandlers.ofString());
        assertThat(response.body()).isEqualTo("ping pong");
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
    }

    @Test
    void runtimeShowsGoroutinesAndThreads() throws Exception {
        String body = get("/runtime").body();
        assertThat(body).contains("\"goroutines\":").contains("\"threads\":").contains("\"transport\":\"epoll\"")
                .contains("\"parked\":");
    }

    @Test
    void healthAndProbesAreUp() throws Exception {
        assertThat(get("/actuator/health").body()).contains("\"status\":\"UP\"");
        assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);
        assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(200);
        assertThat(get("/actuator/prometheus").body()).contains("netpoll_goroutines").contains("netpoll_threads");
    }
}
