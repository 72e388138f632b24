package dev.netpoll.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A keep-alive connection waiting for its next request is idle until a byte of that request is
 * read, whatever wakes its task before: it holds no read buffer, reports no request, and a
 * graceful shutdown closes it at once instead of waiting for it as if it were serving.
 */
class IdleConnectionTest {

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    @Timeout(30)
    void keepAliveConnectionBetweenRequestsIsIdleAndClosedAtOnceByGracefulShutdown(String transport) throws Exception {
        try (var server = new TestServer(HttpConfig.DEFAULTS, (request, response) ->
                response.body().write("ok".getBytes(StandardCharsets.US_ASCII)), transport);
                var client = server.client()) {
            assertThat(client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").read().status()).isEqualTo(200);
            Thread.sleep(200); // the task is back waiting for the next request
            assertThat(server.server.connections()).singleElement()
                    .satisfies(c -> assertThat(c.state()).isEqualTo(ConnState.IDLE));
            long started = System.nanoTime();
            assertThat(server.server.shutdownGracefully(Duration.ofSeconds(5))).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    @Timeout(30)
    void anExtraEmptyLineAfterABodyLeavesTheConnectionIdle(String transport) throws Exception {
        try (var server = new TestServer(HttpConfig.DEFAULTS, TestServer.echoLine(), transport);
                var client = server.client()) {
            // RFC 9112 2.2 lets a client send CRLF after a body; it is not the start of a request.
            var response = client.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello\r\n").read();
            assertThat(response.text()).isEqualTo("POST / body=5");
            Thread.sleep(200);
            assertThat(server.server.connections()).singleElement()
                    .satisfies(c -> assertThat(c.state()).isEqualTo(ConnState.IDLE));
            assertThat(client.send("GET /next HTTP/1.1\r\nHost: a\r\n\r\n").read().text()).isEqualTo("GET /next body=0");
        }
    }
}
