package dev.netpoll.http2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netpoll.http.HttpConfig;
import dev.netpoll.http.HttpHandler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Each HTTP/2 limit and attack defence with a small bound, over raw frames: what the client sees
 * when it passes the bound, and that a client within it is served.
 */
@Timeout(30)
class Http2LimitsTest {

    private H2TestServer server;
    private final CountDownLatch release = new CountDownLatch(1);

    String transport() {
        return "epoll";
    }

    private RawH2Client start(Http2Config config, HttpConfig http) throws Exception {
        HttpHandler handler = (request, response) -> {
            if (request.path().equals("/hold")) {
                release.await(20, TimeUnit.SECONDS);
            }
            if (request.path().equals("/big")) {
                response.body().write(new byte[200_000]);
                return;
            }
            response.body().write(("ok " + request.body().readAllBytes().length).getBytes(StandardCharsets.US_ASCII));
        };
        server = new H2TestServer(transport(), http, config, null, handler);
        return new RawH2Client(server.port()).handshake();
    }

    private RawH2Client start(Http2Config config) throws Exception {
        return start(config, HttpConfig.DEFAULTS);
    }

    @AfterEach
    void stop() {
        release.countDown();
        if (server != null) {
            server.close();
        }
    }

    @Test
    void streamsAboveMaxConcurrentStreamsAreRefusedAndTheOthersServed() throws Exception {
        try (var client = start(Http2Config.DEFAULTS.withMaxConcurrentStreams(3))) {
            for (int id = 1; id <= 5; id += 2) {
                client.get(id, "/hold");
            }
            client.get(7, "/hold");
            assertThat(client.expectReset(7)).isEqualTo(ErrorCode.REFUSED_STREAM);
            assertThat(server.protocol.activeStreams()).isEqualTo(3);
            release.countDown();
            for (int id = 1; id <= 5; id += 2) {
                assertThat(client.response(id).status()).isEqualTo("200");
            }
        }
    }

    @Test
    void aHeaderListAboveTheLimitGets431AndTheConnectionGoesOn() throws Exception {
        try (var client = start(Http2Config.DEFAULTS.withMaxHeaderListSize(2048))) {
            // 'a' is 5 bits in Huffman: 3000 of them fit a 2 KiB block but decode past the limit.
            client.headers(1, true, RawH2Client.request("GET", "/", "x-long", "a".repeat(3000)));
            assertThat(client.response(1).status()).isEqualTo("431");
            client.get(3, "/");
            assertThat(client.response(3).status()).isEqualTo("200");
        }
    }

    @Test
    void anHpackBombOfRepeatedTableReferencesGets431() throws Exception {
        try (var client = start(Http2Config.DEFAULTS)) {
            // Stream 1 puts a 4000-byte field into the dynamic table; stream 3 refers to it 100
            // times in 100 bytes: 400 KB decoded from a block of about a hundred bytes.
            var first = new HeaderBlock(8192);
            var request = RawH2Client.request("GET", "/");
            first.ensure(request.length);
            System.arraycopy(request, 0, first.bytes, 0, request.length);
            first.length = request.length;
            first.put(0x40);
            HpackEncoder.writeString("x-big", first);
            HpackEncoder.writeString("v".repeat(4000), first);
            client.headers(1, true, java.util.Arrays.copyOf(first.bytes, first.length));
            assertThat(client.response(1).status()).isEqualTo("200");
            var bomb = new HeaderBlock(256);
            bomb.ensure(request.length);
            System.arraycopy(request, 0, bomb.bytes, 0, request.length);
            bomb.length = request.length;
            for (int i = 0; i < 100; i++) {
                bomb.put(0x80 | 62);
            }
            client.headers(3, true, java.util.Arrays.copyOf(bomb.bytes, bomb.length));
            assertThat(client.response(3).status()).isEqualTo("431");
        }
    }

    @Test
    void rapidResetEndsTheConnectionWithEnhanceYourCalm() throws Exception {
        try (var client = start(Http2Config.DEFAULTS.withMaxResetsPerSecond(10))) {
            for (int id = 1; id < 2 * 30; id += 2) {
                client.headers(id, false, RawH2Client.request("POST", "/hold"));
                client.frame(Frame.RST_STREAM, 0, id, RawH2Client.int32(ErrorCode.CANCEL));
            }
            RawH2Client.Received goAway = client.expectGoAway();
            assertThat(goAway.errorCode()).isEqualTo(ErrorCode.ENHANCE_YOUR_CALM);
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void aContinuationFloodEndsTheConnectionWithEnhanceYourCalm() throws Exception {
        try (var client = start(Http2Config.DEFAULTS.withMaxHeaderListSize(4096))) {
            client.frame(Frame.HEADERS, Frame.FLAG_END_STREAM, 1, RawH2Client.request("GET", "/"));
            byte[] filler = RawH2Client.block("x-filler", "y".repeat(900));
            try {
                for (int i = 0; i < 100; i++) {
                    client.frame(Frame.CONTINUATION, 0, 1, filler);
                }
            } catch (java.io.IOException closedMeanwhile) {
                // the server ended the connection before we were done: what the test wants
            }
            RawH2Client.Received goAway = client.expectGoAway();
            assertThat(goAway.errorCode()).isEqualTo(ErrorCode.ENHANCE_YOUR_CALM);
        }
    }

    @Test
    void aFloodOfEmptyContinuationFramesEndsTheConnectionWithEnhanceYourCalm() throws Exception {
        try (var client = start(Http2Config.DEFAULTS)) {
            client.frame(Frame.HEADERS, Frame.FLAG_END_STREAM, 1, RawH2Client.request("GET", "/"));
            for (int i = 0; i < 100; i++) {
                client.frame(Frame.CONTINUATION, 0, 1, new byte[0]);
            }
            assertThat(client.expectGoAway().errorCode()).isEqualTo(ErrorCode.ENHANCE_YOUR_CALM);
        }
    }

    @Test
    void aPingFloodEndsTheConnectionWithEnhanceYourCalm() throws Exception {
        try (var client = start(Http2Config.DEFAULTS.withMaxControlFramesPerSecond(50))) {
            for (int i = 0; i < 200; i++) {
                client.frame(Frame.PING, 0, 0, new byte[8]);
            }
            assertThat(client.expectGoAway().errorCode()).isEqualTo(ErrorCode.ENHANCE_YOUR_CALM);
        }
    }

    @Test
    void aSettingsFloodEndsTheConnectionWithEnhanceYourCalm() throws Exception {
        try (var client = start(Http2Config.DEFAULTS.withMaxControlFramesPerSecond(50))) {
            for (int i = 0; i < 200; i++) {
                client.settings(Frame.SETTINGS_MAX_FRAME_SIZE, 16_384);
            }
            assertThat(client.expectGoAway().errorCode()).isEqualTo(ErrorCode.ENHANCE_YOUR_CALM);
        }
    }

    @Test
    void aClientThatNeverOpensItsWindowIsCutOffAtTheWriteTimeout() throws Exception {
        HttpConfig http = HttpConfig.DEFAULTS.toBuilder().writeTimeout(Duration.ofMillis(500)).build();
        start(Http2Config.DEFAULTS, http).close();
        try (var client = new RawH2Client(server.port())) {
            client.handshake(Frame.SETTINGS_INITIAL_WINDOW_SIZE, 0);
            long started = System.nanoTime();
            client.get(1, "/big");
            assertThat(client.closedByServer()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(450))
                    .isLessThan(Duration.ofSeconds(8));
        }
    }

    @Test
    void anIdleConnectionIsClosedWithGoAwayNoError() throws Exception {
        try (var client = start(Http2Config.DEFAULTS.withIdleTimeout(Duration.ofMillis(300)))) {
            client.get(1, "/");
            assertThat(client.response(1).status()).isEqualTo("200");
            long started = System.nanoTime();
            if (transport().equals("nio")) {
                // nio ends a wait past its deadline by closing the channel: no GOAWAY can follow.
                assertThat(client.closedByServer()).isTrue();
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
                return;
            }
            RawH2Client.Received goAway = client.expectGoAway();
            assertThat(goAway.errorCode()).isEqualTo(ErrorCode.NO_ERROR);
            assertThat(goAway.lastStreamId()).isEqualTo(1);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
            assertThat(client.closedByServer()).isTrue();
        }
    }
}
