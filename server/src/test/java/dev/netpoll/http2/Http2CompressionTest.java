package dev.netpoll.http2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netpoll.http.HttpConfig;
import dev.netpoll.http.HttpHandler;
import dev.netpoll.http.ResponseCompression;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Compression over HTTP/2 follows HTTP/1.1's rules: a GET of a compressible answer is gzipped, and
 * its HEAD carries the same fields (content-encoding, vary) with no body and no content-length.
 */
@Timeout(30)
class Http2CompressionTest {

    private static final String PAGE = "<p>hello</p>".repeat(100);

    private static final HttpHandler HANDLER = (request, response) -> {
        response.header("Content-Type", "text/html");
        response.body().write(PAGE.getBytes(StandardCharsets.US_ASCII));
    };

    @Test
    void headGetsTheFieldsOfItsGzippedGetAndNoBody() throws Exception {
        var config = HttpConfig.DEFAULTS.toBuilder()
                .compression(new ResponseCompression(true, List.of("text/html"), 64, List.of())).build();
        try (var server = new H2TestServer("epoll", config, Http2Config.DEFAULTS, null, HANDLER);
                var client = new RawH2Client(server.port()).handshake()) {
            client.headers(1, true, RawH2Client.request("GET", "/page", "accept-encoding", "gzip"));
            var get = client.response(1);
            client.headers(3, true, RawH2Client.request("HEAD", "/page", "accept-encoding", "gzip"));
            var head = client.response(3);

            assertThat(get.fields()).contains("content-encoding: gzip", "vary: accept-encoding");
            try (var in = new GZIPInputStream(new ByteArrayInputStream(get.body()))) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo(PAGE);
            }
            assertThat(head.fields()).contains("content-encoding: gzip", "vary: accept-encoding", "content-type: text/html");
            assertThat(head.fields()).noneMatch(f -> f.startsWith("content-length"));
            assertThat(head.body()).isEmpty();
        }
    }
}
