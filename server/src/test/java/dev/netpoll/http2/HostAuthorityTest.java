package dev.netpoll.http2;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * :authority and Host (RFC 9113 section 8.3.1): a Host naming another entity than :authority
 * makes the request malformed, rather than letting Host win where the application reads it.
 */
@Timeout(30)
class HostAuthorityTest {

    private H2TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = new H2TestServer("epoll", (request, response) ->
                response.body().write(("host=" + request.header("host")).getBytes(StandardCharsets.US_ASCII)));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aHostDifferingFromTheAuthorityIsAStreamError() throws Exception {
        try (var client = new RawH2Client(server.port()).handshake()) {
            client.headers(1, true, RawH2Client.block(":method", "GET", ":scheme", "http", ":path", "/",
                    ":authority", "a.example", "host", "evil.example"));
            assertThat(client.expectReset(1)).isEqualTo(ErrorCode.PROTOCOL_ERROR);
        }
    }

    @Test
    void aHostMatchingTheAuthorityIsServed() throws Exception {
        try (var client = new RawH2Client(server.port()).handshake()) {
            client.headers(1, true, RawH2Client.block(":method", "GET", ":scheme", "http", ":path", "/",
                    ":authority", "a.example:8080", "host", "A.example:8080"));
            assertThat(new String(client.response(1).body(), StandardCharsets.US_ASCII)).isEqualTo("host=A.example:8080");
        }
    }

    @Test
    void withoutHostTheAuthorityIsTheHost() throws Exception {
        try (var client = new RawH2Client(server.port()).handshake()) {
            client.headers(1, true, RawH2Client.block(":method", "GET", ":scheme", "http", ":path", "/",
                    ":authority", "a.example"));
            assertThat(new String(client.response(1).body(), StandardCharsets.US_ASCII)).isEqualTo("host=a.example");
        }
    }
}
