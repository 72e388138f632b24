package dev.netpoll.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every framing or syntax violation from RFC 9112/9110 gets its status with Connection: close,
 * the connection closes, and a request smuggled behind the bad one is never handled.
 */
class MalformedRequestTest {

    private static final String SMUGGLED = "GET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n";
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(HttpConfig.DEFAULTS.toBuilder().maxHeaderCount(20).build(), TestServer.echoLine());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Stream<Arguments> violations() {
        String longTarget = "/" + "a".repeat(9000);
        String bigHeader = "X-Big: " + "b".repeat(8500) + "\r\n";
        String manyHeaders = "X-H: 1\r\n".repeat(21);
        return Stream.of(
                Arguments.of("Content-Length with Transfer-Encoding", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
                Arguments.of("Transfer-Encoding not ending in chunked", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", 400),
                Arguments.of("Transfer-Encoding identity only", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: identity\r\n\r\n", 400),
                Arguments.of("chunked twice", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
                Arguments.of("unknown transfer coding", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: foo, chunked\r\n\r\n0\r\n\r\n", 501),
                Arguments.of("HTTP/1.0 with Transfer-Encoding", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
                Arguments.of("Content-Length with sign", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +5\r\n\r\nhello", 400),
                Arguments.of("Content-Length negative", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", 400),
                Arguments.of("Content-Length hex", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0x5\r\n\r\nhello", 400),
                Arguments.of("Content-Length list differing", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 6\r\n\r\nhello", 400),
                Arguments.of("Content-Length lines differing", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello", 400),
                Arguments.of("Content-Length overflow", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999\r\n\r\n", 400),
                Arguments.of("Content-Length empty", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: \r\n\r\n", 400),
                Arguments.of("space before colon", "GET / HTTP/1.1\r\nHost : a\r\n\r\n", 400),
                Arguments.of("field name not a token", "GET / HTTP/1.1\r\nHost: a\r\nX(y): 1\r\n\r\n", 400),
                Arguments.of("empty field name", "GET / HTTP/1.1\r\nHost: a\r\n: 1\r\n\r\n", 400),
                Arguments.of("obs-fold", "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n c\r\n\r\n", 400),
                Arguments.of("obs-fold with tab", "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n\tc\r\n\r\n", 400),
                Arguments.of("CR inside value", "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\rc\r\n\r\n", 400),
                Arguments.of("NUL inside value", "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\0c\r\n\r\n", 400),
                Arguments.of("control character inside value", "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\u0001c\r\n\r\n", 400),
                Arguments.of("bare LF line ending", "GET / HTTP/1.1\nHost: a\n\n", 400),
                Arguments.of("bare LF inside header block", "GET / HTTP/1.1\r\nHost: a\nX: y\r\n\r\n", 400),
                Arguments.of("bare CR in request line", "GET / HTTP/1.1\rHost: a\r\n\r\n", 400),
                Arguments.of("chunk size not hex", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n", 400),
                Arguments.of("chunk size with junk", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5x\r\nhello\r\n0\r\n\r\n", 400),
                Arguments.of("chunk size too large", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffff\r\nhello\r\n0\r\n\r\n", 400),
                Arguments.of("chunk line bare LF", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\nhello\r\n0\r\n\r\n", 400),
                Arguments.of("chunk data without CRLF", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloXX0\r\n\r\n", 400),
                Arguments.of("chunk extension with control character", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;a\u0001b\r\nhello\r\n0\r\n\r\n", 400),
                Arguments.of("trailer with obs-fold", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-T: 1\r\n 2\r\n\r\n", 400),
                Arguments.of("missing Host on HTTP/1.1", "GET / HTTP/1.1\r\nX-A: b\r\n\r\n", 400),
                Arguments.of("two Host lines", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
                Arguments.of("Host with a space", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", 400),
                Arguments.of("Host with a slash", "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", 400),
                Arguments.of("Host with a bad port", "GET / HTTP/1.1\r\nHost: a:80x\r\n\r\n", 400),
                Arguments.of("request line too long", "GET " + longTarget + " HTTP/1.1\r\nHost: a\r\n\r\n", 414),
                Arguments.of("header block too large", "GET / HTTP/1.1\r\nHost: a\r\n" + bigHeader + "\r\n", 431),
                Arguments.of("too many header fields", "GET / HTTP/1.1\r\nHost: a\r\n" + manyHeaders + "\r\n", 431),
                Arguments.of("HTTP/2.0 request line", "GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505),
                Arguments.of("HTTP/3.0 request line", "GET / HTTP/3.0\r\nHost: a\r\n\r\n", 505),
                Arguments.of("version without minor", "GET / HTTP/1\r\nHost: a\r\n\r\n", 400),
                Arguments.of("lowercase version", "GET / http/1.1\r\nHost: a\r\n\r\n", 400),
                Arguments.of("method not a token", "G@T / HTTP/1.1\r\nHost: a\r\n\r\n", 400),
                Arguments.of("two spaces after method", "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", 400),
                Arguments.of("target with control character", "GET /a\u0001b HTTP/1.1\r\nHost: a\r\n\r\n", 400),
                Arguments.of("asterisk target for GET", "GET * HTTP/1.1\r\nHost: a\r\n\r\n", 400),
                Arguments.of("relative target", "GET a/b HTTP/1.1\r\nHost: a\r\n\r\n", 400),
                Arguments.of("CONNECT", "CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n", 501),
                Arguments.of("unsupported expectation", "GET / HTTP/1.1\r\nHost: a\r\nExpect: tea\r\n\r\n", 417));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("violations")
    void violationIsRefusedAndNothingBehindItIsHandled(String name, String request, int status) throws Exception {
        int before = server.seen.size();
        try (var client = server.client()) {
            client.send(request + SMUGGLED);
            var response = client.read();
            assertThat(response.status()).isEqualTo(status);
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(client.closedByServer()).as("connection closed after the error").isTrue();
        }
        assertThat(server.seen).doesNotContain("GET /smuggled");
        assertThat(server.seen.size() - before).as("requests handled").isLessThanOrEqualTo(1);
        // The server keeps serving everyone else.
        try (var client = server.client()) {
            assertThat(client.send("GET /next HTTP/1.1\r\nHost: a\r\n\r\n").read().status()).isEqualTo(200);
        }
    }
}
