package dev.netpoll.wsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;

/** Open sessions show in the {@code netpoll.websocket.sessions} gauge and in {@code /actuator/netpoll}. */
@SpringBootTest(classes = WebSocketApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = "management.endpoints.web.exposure.include=netpoll,metrics")
class WebSocketObservabilityTest {

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry registry;

    double sessions() {
        return registry.get("netpoll.websocket.sessions").tag("server", "main").gauge().value();
    }

    @Test
    void sessionsAreCountedAndListedWithPathAndAge() throws Exception {
        var client = new StandardWebSocketClient();
        List<WebSocketSession> open = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            open.add(client.execute(new Inbox(), "ws://localhost:" + port + "/echo").get(10, TimeUnit.SECONDS));
        }
        open.add(client.execute(new Inbox(), "ws://localhost:" + port + "/rooms/blue").get(10, TimeUnit.SECONDS));
        await().atMost(Duration.ofSeconds(5)).until(() -> sessions() == 4);
        Thread.sleep(50);
        String runtime;
        try (var http = HttpClient.newHttpClient()) {
            runtime = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/netpoll")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        }
        assertThat(runtime).contains("\"websocket\":{\"sessions\":4", "\"path\":\"/echo\"", "\"path\":\"/rooms/blue\"",
                "\"ageMillis\":", "websocket /echo: parked in read");
        for (WebSocketSession session : open) {
            session.close();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> sessions() == 0);
    }
}
