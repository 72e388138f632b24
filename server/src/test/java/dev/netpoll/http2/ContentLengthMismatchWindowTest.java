package dev.netpoll.http2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netpoll.http.HttpConfig;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A DATA frame that breaks its stream's content-length is a stream error (RFC 9113 section
 * 8.1.1); its bytes were taken from the connection's receive window too, and must be given back,
 * or a client can make the connection refuse every later request body by repeating it.
 */
@Timeout(30)
class ContentLengthMismatchWindowTest {

    @Test
    void dataBreakingTheContentLengthGivesItsConnectionWindowBack() throws Exception {
        // The smallest connection window: four 16 KiB frames would use it up for good.
        var config = Http2Config.DEFAULTS.withConnectionWindow(65_535);
        try (var server = new H2TestServer("epoll", HttpConfig.DEFAULTS, config, null, (request, response) -> {
            byte[] body = request.body().readAllBytes();
            response.body().write(("read " + body.length).getBytes(StandardCharsets.US_ASCII));
        });
                var client = new RawH2Client(server.port()).handshake()) {
            int stream = 1;
            for (int i = 0; i < 12; i++, stream += 2) {
                client.headers(stream, false, RawH2Client.request("POST", "/", "content-length", "2"));
                client.data(stream, true, new byte[16_000]);
                assertThat(client.expectReset(stream)).isEqualTo(ErrorCode.PROTOCOL_ERROR);
            }
            client.headers(stream, false, RawH2Client.request("POST", "/", "content-length", "30000"));
            client.data(stream, false, new byte[15_000]);
            client.data(stream, true, new byte[15_000]);
            var response = client.response(stream);
            assertThat(new String(response.body(), StandardCharsets.US_ASCII)).isEqualTo("read 30000");
        }
    }
}
