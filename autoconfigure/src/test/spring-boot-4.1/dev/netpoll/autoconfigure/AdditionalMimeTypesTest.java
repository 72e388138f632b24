package dev.netpoll.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Spring Boot 4.1's server.compression.additional-mime-types extend the compressed types. */
@DirtiesContext
@SpringBootTest(classes = SampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {"server.compression.enabled=true", "server.compression.min-response-size=1KB",
                "server.compression.additional-mime-types=application/x-ndjson"})
@Import({AsyncEndpoints.class, AdditionalMimeTypesTest.Lines.class})
class AdditionalMimeTypesTest {

    private final HttpClient client = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @RestController
    static class Lines {

        @GetMapping(path = "/lines", produces = "application/x-ndjson")
        String lines() {
            return "{\"line\":\"netpoll\"}\n".repeat(200);
        }
    }

    @AfterEach
    void closeClient() {
        client.close();
    }

    private HttpResponse<byte[]> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Accept-Encoding", "gzip").build(), BodyHandlers.ofByteArray());
    }

    @Test
    void anAdditionalTypeIsGzippedAndTheDefaultTypesStillAre() throws Exception {
        assertThat(get("/lines").headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(get("/text?kb=8").headers().firstValue("Content-Encoding")).hasValue("gzip");
    }
}
