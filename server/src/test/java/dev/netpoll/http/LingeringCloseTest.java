package dev.netpoll.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * When the server answers and closes while the client is still sending (a body over the limit),
 * the client reads the answer: the server half-closes and discards the rest instead of closing
 * outright, which would make the kernel reset the connection and drop the response unread.
 */
class LingeringCloseTest {

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    @Timeout(120)
    void clientSendingPastTheBodyLimitAlwaysReadsThe413(String transport) throws Exception {
        var config = HttpConfig.DEFAULTS.toBuilder().maxBodySize(1024).build();
        byte[] head = "POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 10000000\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] body = new byte[64 * 1024];
        try (var server = new TestServer(config, TestServer.echoLine(), transport)) {
            for (int i = 0; i < 200; i++) {
                try (var client = server.client()) {
                    OutputStream out = client.socket.getOutputStream();
                    out.write(head);
                    out.write(body);
                    out.flush();
                    var response = client.read();
                    assertThat(response.status()).as("attempt %d", i).isEqualTo(413);
                    assertThat(response.header("Connection")).isEqualTo("close");
                }
            }
        }
    }

    /**
     * The case an outright close really breaks on Linux: closing with unread input resets the
     * connection and throws away what of the response is still in the send queue, so a large
     * answer to a request whose body is too large to drain arrives cut short.
     */
    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    @Timeout(120)
    void largeAnswerToAnUndrainableRequestArrivesWhole(String transport) throws Exception {
        int answerSize = 4 * 1024 * 1024;
        HttpHandler answersWithoutReading = (request, response) -> {
            response.contentLength(answerSize);
            byte[] slice = new byte[64 * 1024];
            for (int written = 0; written < answerSize; written += slice.length) {
                response.body().write(slice);
            }
        };
        byte[] head = "POST /big HTTP/1.1\r\nHost: a\r\nContent-Length: 50000000\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        try (var server = new TestServer(HttpConfig.DEFAULTS, answersWithoutReading, transport)) {
            for (int i = 0; i < 10; i++) {
                try (var client = server.client()) {
                    OutputStream out = client.socket.getOutputStream();
                    out.write(head);
                    var uploader = CompletableFuture.runAsync(() -> {
                        byte[] slice = new byte[256 * 1024];
                        try {
                            for (int sent = 0; sent < 50_000_000; sent += slice.length) {
                                out.write(slice);
                            }
                        } catch (IOException expected) {
                            // the server stops reading at some point
                        }
                    });
                    var response = client.read();
                    assertThat(response.status()).isEqualTo(200);
                    assertThat(response.body()).as("attempt %d", i).hasSize(answerSize);
                    // Committed before the server knew it would close; it closes after it.
                    assertThat(client.closedByServer()).isTrue();
                    client.close();
                    uploader.join();
                }
            }
        }
    }
}
