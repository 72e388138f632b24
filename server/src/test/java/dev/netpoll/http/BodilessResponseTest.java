package dev.netpoll.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Responses that must not carry a body (1xx, 204, 304, and every answer to HEAD) send none,
 * whatever was written before the status was set, so a keep-alive client never reads stray body
 * bytes as its next response; and HEAD gets the fields its GET would get.
 */
class BodilessResponseTest {

    private static final byte[] HELLO = "hello".getBytes(StandardCharsets.US_ASCII);

    private static final HttpHandler HANDLER = (request, response) -> {
        switch (request.path()) {
            case "/written-then-304" -> {
                response.body().write(HELLO);
                response.status(304);
            }
            case "/written-then-204" -> {
                response.body().write(HELLO);
                response.status(204);
            }
            case "/page" -> {
                response.header("Content-Type", "text/html");
                response.body().write("<p>compressible</p>".repeat(200).getBytes(StandardCharsets.US_ASCII));
            }
            case "/boom" -> throw new IllegalStateException("boom");
            default -> response.body().write(HELLO);
        }
    };

    @ParameterizedTest
    @CsvSource({"/written-then-304, epoll", "/written-then-204, epoll", "/written-then-304, nio", "/written-then-204, nio"})
    void bodyWrittenBeforeABodilessStatusIsDropped(String path, String transport) throws Exception {
        try (var server = new TestServer(HttpConfig.DEFAULTS, HANDLER, transport); var client = server.client()) {
            client.send("GET " + path + " HTTP/1.1\r\nHost: a\r\n\r\nGET /next HTTP/1.1\r\nHost: a\r\n\r\n");
            var first = client.read();
            assertThat(first.status()).isIn(204, 304);
            var next = client.read();
            assertThat(next.status()).isEqualTo(200);
            assertThat(next.text()).isEqualTo("hello");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void headWithCompressionGetsTheFieldsOfItsGetAndNoBody(String transport) throws Exception {
        var config = HttpConfig.DEFAULTS.toBuilder()
                .compression(new ResponseCompression(true, List.of("text/html"), 64, List.of())).build();
        try (var server = new TestServer(config, HANDLER, transport); var client = server.client()) {
            String gzip = "Host: a\r\nAccept-Encoding: gzip\r\n\r\n";
            client.send("GET /page HTTP/1.1\r\n" + gzip + "HEAD /page HTTP/1.1\r\n" + gzip + "GET /after HTTP/1.1\r\nHost: a\r\n\r\n");
            var get = client.read();
            var head = client.read(true);
            assertThat(get.header("Content-Encoding")).isEqualTo("gzip");
            assertThat(head.header("Content-Encoding")).isEqualTo("gzip");
            assertThat(head.header("Vary")).isEqualTo(get.header("Vary")).isEqualTo("Accept-Encoding");
            assertThat(head.header("Content-Type")).isEqualTo(get.header("Content-Type"));
            assertThat(head.header("Transfer-Encoding")).isNull();
            // No body after the HEAD head: the next bytes are the next response.
            assertThat(client.read().text()).isEqualTo("hello");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"HEAD /boom HTTP/1.1\r\nHost: a\r\n\r\n",
        "HEAD / HTTP/1.1\r\nHost: a\r\nContent-Length: 5000\r\n\r\n",
        "HEAD / HTTP/1.1\r\nHost: a\r\nX-Bad : field\r\n\r\n"})
    void errorAnswersToHeadCarryNoBody(String request) throws Exception {
        var config = HttpConfig.DEFAULTS.toBuilder().maxBodySize(1000).build();
        try (var server = new TestServer(config, HANDLER); var client = server.client()) {
            var response = client.send(request).read(true);
            assertThat(response.status()).isIn(400, 413, 500);
            assertThat(response.header("Content-Length")).isNotNull();
            assertThat(response.header("Connection")).isEqualTo("close");
            // Nothing follows the head: the very next read is the end of the stream.
            assertThat(client.closedByServer()).isTrue();
        }
    }
}
