package dev.netpoll.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A request body whose framing breaks while the application reads it poisons the connection,
 * whatever the application does with the exception: its response is completed, says
 * {@code Connection: close}, and nothing after the bad body is read as a request.
 */
class FramingErrorTest {

    /** Like an application's error handling: catches the read failure and answers 400 itself. */
    private static final HttpHandler CATCHES_AND_ANSWERS = (request, response) -> {
        try {
            request.body().readAllBytes();
            response.body().write("read".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            response.status(400);
            response.header("Content-Type", "text/plain");
            byte[] page = ("bad body: " + e.getMessage() + "\n").repeat("/large".equals(request.path()) ? 2000 : 1)
                    .getBytes(StandardCharsets.US_ASCII);
            response.body().write(page);
        }
    };

    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource({
        "leading whitespace,  epoll", "leading whitespace,  nio",
        "underscore,          epoll", "underscore,          nio",
        "overflowing size,    epoll", "overflowing size,    nio",
    })
    @Timeout(20)
    void malformedChunkLineClosesTheConnectionAfterTheApplicationsAnswer(String name, String transport) throws Exception {
        String chunkLine = switch (name) {
            case "leading whitespace" -> " 5\r\n";
            case "underscore" -> "5_0\r\n";
            default -> "1ffffffffffffffff\r\n";
        };
        for (String path : new String[] {"/small", "/large"}) {
            try (var server = new TestServer(HttpConfig.DEFAULTS, CATCHES_AND_ANSWERS, transport);
                    var client = server.client()) {
                // Behind the bad chunk line: bytes that parse as a request if the connection went on.
                client.send("POST " + path + " HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + chunkLine + "hello\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n");
                var response = client.read();
                assertThat(response.status()).isEqualTo(400);
                assertThat(response.text()).startsWith("bad body: ");
                assertThat(response.header("Connection")).isEqualTo("close");
                assertThat(client.closedByServer()).isTrue();
                assertThat(server.seen).doesNotContain("GET /smuggled");
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"epoll", "nio"})
    @Timeout(20)
    void fixedLengthBodyCutShortEndsTheAnswerAndTheConnection(String transport) throws Exception {
        try (var server = new TestServer(HttpConfig.DEFAULTS, CATCHES_AND_ANSWERS, transport);
                var client = server.client()) {
            client.send("POST /small HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\nonly ten b");
            client.socket.shutdownOutput();
            var response = client.read();
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @ParameterizedTest
    @CsvSource({"epoll", "nio"})
    @Timeout(20)
    void applicationThatIgnoresTheFailureStillGetsTheConnectionClosed(String transport) throws Exception {
        HttpHandler ignores = (request, response) -> {
            try {
                request.body().read(new byte[64]);
            } catch (IOException expected) {
                // swallowed: the application answers 200 as if nothing happened
            }
            response.body().write("fine".getBytes(StandardCharsets.US_ASCII));
        };
        try (var server = new TestServer(HttpConfig.DEFAULTS, ignores, transport); var client = server.client()) {
            client.send("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "zz\r\n5\r\nhello\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n");
            var response = client.read();
            assertThat(response.text()).isEqualTo("fine");
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(client.closedByServer()).isTrue();
            assertThat(server.seen).containsExactly("POST /");
        }
    }
}
