package dev.netpoll.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Persistent connections, pipelining, HEAD and bodiless statuses, and handler failures. */
class PersistenceTest {

    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(HttpConfig.DEFAULTS.toBuilder().serverHeader("Netpoll/test").build(), (request, response) -> {
            switch (request.path()) {
                case "/no-content" -> response.status(204);
                case "/not-modified" -> {
                    response.status(304);
                    response.header("ETag", "\"v1\"");
                }
                case "/boom" -> throw new IllegalStateException("boom");
                case "/close" -> {
                    response.header("Connection", "close");
                    response.body().write("bye".getBytes(StandardCharsets.US_ASCII));
                }
                case "/stream" -> {
                    for (int i = 0; i < 5; i++) {
                        response.body().write(("part" + i + ";").getBytes(StandardCharsets.US_ASCII));
                        response.flush();
                    }
                }
                default -> TestServer.echoLine().handle(request, response);
            }
        });
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void http11KeepsTheConnectionOpenAcrossRequests() throws Exception {
        try (var client = server.client()) {
            for (int i = 0; i < 5; i++) {
                var response = client.send("GET /r" + i + " HTTP/1.1\r\nHost: a\r\n\r\n").read();
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.text()).isEqualTo("GET /r" + i + " body=0");
                assertThat(response.header("Connection")).isNull();
                assertThat(response.header("Content-Length")).isEqualTo(String.valueOf(response.body().length));
                assertThat(response.header("Date")).endsWith(" GMT");
                assertThat(response.header("Server")).isEqualTo("Netpoll/test");
            }
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        try (var client = server.client()) {
            client.send("GET /1 HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "POST /2 HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc"
                    + "POST /3 HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nxy\r\n0\r\n\r\n"
                    + "GET /4 HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(client.read().text()).isEqualTo("GET /1 body=0");
            assertThat(client.read().text()).isEqualTo("POST /2 body=3");
            assertThat(client.read().text()).isEqualTo("POST /3 body=2");
            assertThat(client.read().text()).isEqualTo("GET /4 body=0");
        }
    }

    @Test
    void clientConnectionCloseIsHonoured() throws Exception {
        try (var client = server.client()) {
            var response = client.send("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n").read();
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void handlerConnectionCloseIsHonoured() throws Exception {
        try (var client = server.client()) {
            var response = client.send("GET /close HTTP/1.1\r\nHost: a\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n").read();
            assertThat(response.text()).isEqualTo("bye");
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void http10ClosesUnlessKeepAliveIsAsked() throws Exception {
        try (var client = server.client()) {
            var response = client.send("GET / HTTP/1.0\r\n\r\n").read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(client.closedByServer()).isTrue();
        }
        try (var client = server.client()) {
            var response = client.send("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
            assertThat(response.header("Connection")).isEqualTo("keep-alive");
            assertThat(client.send("GET /b HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read().text()).isEqualTo("GET /b body=0");
        }
    }

    @Test
    void headGetsTheHeadersOfGetAndNoBody() throws Exception {
        try (var client = server.client()) {
            var head = client.send("HEAD /x HTTP/1.1\r\nHost: a\r\n\r\n").read(true);
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Content-Length")).isEqualTo(String.valueOf("HEAD /x body=0".length()));
            // Had a body been sent, it would be read as the next status line.
            assertThat(client.send("GET /y HTTP/1.1\r\nHost: a\r\n\r\n").read().text()).isEqualTo("GET /y body=0");
        }
    }

    @Test
    void noContentAndNotModifiedCarryNoBody() throws Exception {
        try (var client = server.client()) {
            var noContent = client.send("GET /no-content HTTP/1.1\r\nHost: a\r\n\r\n").read();
            assertThat(noContent.status()).isEqualTo(204);
            assertThat(noContent.header("Content-Length")).isNull();
            assertThat(noContent.header("Transfer-Encoding")).isNull();
            var notModified = client.send("GET /not-modified HTTP/1.1\r\nHost: a\r\n\r\n").read();
            assertThat(notModified.status()).isEqualTo(304);
            assertThat(notModified.header("ETag")).isEqualTo("\"v1\"");
            assertThat(client.send("GET /z HTTP/1.1\r\nHost: a\r\n\r\n").read().text()).isEqualTo("GET /z body=0");
        }
    }

    @Test
    void flushedResponsesStreamChunked() throws Exception {
        try (var client = server.client()) {
            var response = client.send("GET /stream HTTP/1.1\r\nHost: a\r\n\r\n").read();
            assertThat(response.header("Transfer-Encoding")).isEqualTo("chunked");
            assertThat(response.text()).isEqualTo("part0;part1;part2;part3;part4;");
            assertThat(client.send("GET /after HTTP/1.1\r\nHost: a\r\n\r\n").read().text()).isEqualTo("GET /after body=0");
        }
    }

    @Test
    void http10StreamingIsDelimitedByClose() throws Exception {
        try (var client = server.client()) {
            var response = client.send("GET /stream HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
            assertThat(response.header("Transfer-Encoding")).isNull();
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(response.text()).isEqualTo("part0;part1;part2;part3;part4;");
        }
    }

    @Test
    void handlerExceptionIs500AndOthersAreStillServed() throws Exception {
        try (var client = server.client()) {
            var response = client.send("GET /boom HTTP/1.1\r\nHost: a\r\n\r\n").read();
            assertThat(response.status()).isEqualTo(500);
            assertThat(response.text()).doesNotContain("boom");
            assertThat(client.closedByServer()).isTrue();
        }
        try (var client = server.client()) {
            assertThat(client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").read().status()).isEqualTo(200);
        }
    }
}
