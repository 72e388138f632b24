package dev.netpoll.http2;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What may follow what on one stream (RFC 9113 section 5.1 and 8.1): nothing after our own
 * RST_STREAM, and no 100 Continue after the final response's HEADERS.
 */
@Timeout(30)
class StreamOrderTest {

    private H2TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aBodilessResponseAfterOurResetSendsNoHeaders() throws Exception {
        server = new H2TestServer("epoll", (request, response) -> {
            try {
                request.body().read(); // fails: the stream is reset for its content-length
            } catch (IOException expected) {
                // the handler goes on to answer anyway
            }
            response.status(204);
        });
        try (var client = new RawH2Client(server.port()).handshake()) {
            client.headers(1, false, RawH2Client.request("POST", "/", "content-length", "1"));
            client.data(1, false, "12345".getBytes(StandardCharsets.US_ASCII));
            assertThat(client.expectReset(1)).isEqualTo(ErrorCode.PROTOCOL_ERROR);
            assertThat(framesUntilPingAck(client)).noneMatch(f -> f.stream() == 1);
        }
    }

    @Test
    void noContinueFollowsTheFinalResponse() throws Exception {
        server = new H2TestServer("epoll", (request, response) -> {
            response.status(200);
            response.flush(); // the final HEADERS is out
            byte[] body = request.body().readAllBytes(); // the first read would send 100 Continue
            response.body().write(("got " + body.length).getBytes(StandardCharsets.US_ASCII));
        });
        try (var client = new RawH2Client(server.port()).handshake()) {
            client.headers(1, false, RawH2Client.request("POST", "/", "expect", "100-continue"));
            Thread.sleep(200); // the handler commits before the body arrives
            client.data(1, true, "abc".getBytes(StandardCharsets.US_ASCII));
            var response = client.response(1);
            assertThat(new String(response.body(), StandardCharsets.US_ASCII)).isEqualTo("got 3");
            assertThat(response.fields()).contains(":status: 200").doesNotContain(":status: 100");
        }
    }

    /** Frames the server sends in the next moment, up to the answer to a PING sent after it. */
    private static List<RawH2Client.Received> framesUntilPingAck(RawH2Client client) throws Exception {
        Thread.sleep(300); // the handler wakes from its failed read at once
        client.frame(Frame.PING, 0, 0, new byte[8]);
        List<RawH2Client.Received> frames = new ArrayList<>();
        for (var f = client.read(); f != null && f.type() != Frame.PING; f = client.read()) {
            frames.add(f);
        }
        return frames;
    }
}
