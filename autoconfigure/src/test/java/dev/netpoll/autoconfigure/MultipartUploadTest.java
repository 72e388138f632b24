package dev.netpoll.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;

/** Spring's MultipartFile over Netpoll's multipart parsing, with spring.servlet.multipart.* limits. */
@DirtiesContext
@SpringBootTest(classes = SampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "spring.servlet.multipart.max-file-size=55MB", "spring.servlet.multipart.max-request-size=60MB",
        "spring.servlet.multipart.file-size-threshold=1MB" })
@Import(AsyncEndpoints.class)
class MultipartUploadTest {

    private final HttpClient client = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @AfterEach
    void closeClient() {
        client.close();
    }

    private static byte[] body(String boundary, byte[] content) {
        var out = new ByteArrayOutputStream(content.length + 512);
        out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"description\"\r\n\r\nholiday photos\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"photos.zip\"\r\n"
                + "Content-Type: application/zip\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(content);
        out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private java.net.http.HttpResponse<String> upload(byte[] content) throws Exception {
        String boundary = "netpoll-" + Long.toHexString(new Random().nextLong());
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/upload"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body(boundary, content))).build(), BodyHandlers.ofString());
    }

    @Test
    void fiftyMegabyteFileArrivesWhole() throws Exception {
        byte[] content = new byte[50 * 1024 * 1024];
        new Random(11).nextBytes(content);
        var crc = new CRC32();
        crc.update(content);
        var response = upload(content);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"description\":\"holiday photos\"").contains("\"name\":\"photos.zip\"")
                .contains("\"size\":" + content.length).contains("\"crc\":" + crc.getValue());
    }

    @Test
    void fileOverTheLimitIs413() throws Exception {
        var response = upload(new byte[56 * 1024 * 1024]);
        assertThat(response.statusCode()).isEqualTo(413);
        // The server is fine afterwards.
        assertThat(client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hello")).build(),
                BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    }
}
