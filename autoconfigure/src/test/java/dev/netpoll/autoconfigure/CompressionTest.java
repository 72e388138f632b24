package dev.netpoll.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;

/** server.compression.*: gzip with Vary, never below the threshold, never twice, never uninvited. */
@DirtiesContext
@SpringBootTest(classes = SampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {"server.compression.enabled=true", "server.compression.min-response-size=1KB"})
@Import(AsyncEndpoints.class)
class CompressionTest {

    private final HttpClient client = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @AfterEach
    void closeClient() {
        client.close();
    }

    private HttpResponse<byte[]> get(String path, String acceptEncoding) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (acceptEncoding != null) {
            request.header("Accept-Encoding", acceptEncoding);
        }
        return client.send(request.build(), BodyHandlers.ofByteArray());
    }

    private static String gunzip(byte[] bytes) throws Exception {
        try (var in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void largeTextIsGzippedWithVaryAndAnExactLength() throws Exception {
        var response = get("/text?kb=8", "gzip, deflate");
        assertThat(response.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(response.headers().allValues("Vary")).contains("Accept-Encoding");
        assertThat(response.headers().firstValue("Content-Length")).hasValue(String.valueOf(response.body().length));
        assertThat(response.body().length).isLessThan(8 * 1024 / 4);
        assertThat(gunzip(response.body())).isEqualTo("netpoll ".repeat(8 * 128));
    }

    @Test
    void streamedTextIsGzippedChunked() throws Exception {
        var response = get("/text-stream", "gzip");
        assertThat(response.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(response.headers().firstValue("Transfer-Encoding")).hasValue("chunked");
        String text = gunzip(response.body());
        assertThat(text.lines()).hasSize(40);
        assertThat(text).startsWith("line 0 x").contains("line 39 x");
    }

    @Test
    void notCompressedBelowTheThresholdWithoutAcceptEncodingOrWhenAlreadyEncoded() throws Exception {
        var small = get("/hello", "gzip");
        assertThat(small.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(new String(small.body(), StandardCharsets.UTF_8)).isEqualTo("{\"message\":\"hello\"}");

        var uninvited = get("/text?kb=8", null);
        assertThat(uninvited.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(uninvited.body()).hasSize(8 * 1024);

        var refused = get("/text?kb=8", "gzip;q=0, identity");
        assertThat(refused.headers().firstValue("Content-Encoding")).isEmpty();

        var preEncoded = get("/pre-encoded", "gzip");
        assertThat(preEncoded.headers().firstValue("Content-Encoding")).hasValue("identity");
        assertThat(preEncoded.body()).hasSize(8000);
    }

    @Test
    void otherTypesAreLeftAlone() throws Exception {
        var binary = get("/big?mb=1", "gzip");
        assertThat(binary.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(binary.body()).hasSize(1024 * 1024);
    }
}
