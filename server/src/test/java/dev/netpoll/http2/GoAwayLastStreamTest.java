package dev.netpoll.http2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netpoll.http.HttpConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * RFC 9113 section 6.8: the last stream id of a later GOAWAY never goes up. After a graceful
 * GOAWAY the client's new streams are ignored, and it may retry them elsewhere; a second GOAWAY
 * naming them as possibly processed would stop it from doing so.
 */
@Timeout(30)
class GoAwayLastStreamTest {

    @Test
    void aConnectionErrorAfterAGracefulGoAwayDoesNotRaiseItsLastStreamId() throws Exception {
        var release = new CountDownLatch(1);
        var http = HttpConfig.DEFAULTS.toBuilder().shutdownQuietPeriod(Duration.ofSeconds(10)).build();
        try (var server = new H2TestServer("epoll", http, Http2Config.DEFAULTS, null, (request, response) -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
                var client = new RawH2Client(server.port()).handshake()) {
            client.get(1, "/hold"); // keeps the connection draining, not finished
            Thread.sleep(200);
            Thread shutdown = Thread.ofVirtual().start(() -> server.server.shutdownGracefully(Duration.ofSeconds(10)));
            RawH2Client.Received graceful = client.expectGoAway();
            assertThat(graceful.lastStreamId()).isEqualTo(1);

            client.get(3, "/late"); // after our GOAWAY: ignored
            client.frame(Frame.PING, 0, 0, new byte[7]); // a connection error: FRAME_SIZE_ERROR
            RawH2Client.Received error = client.expectGoAway();
            assertThat(error.errorCode()).isEqualTo(ErrorCode.FRAME_SIZE_ERROR);
            assertThat(error.lastStreamId()).isEqualTo(1);
            release.countDown();
            shutdown.join();
        }
    }
}
