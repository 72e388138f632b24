package dev.netpoll.http2;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Frames that cost us a frame back, counted or batched: padded DATA does not buy a WINDOW_UPDATE
 * per frame, and a stream of frames each answered with RST_STREAM ends in ENHANCE_YOUR_CALM.
 */
@Timeout(30)
class FloodAccountingTest {

    private final CountDownLatch release = new CountDownLatch(1);
    private H2TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = new H2TestServer("epoll", (request, response) -> {
            if (!request.path().equals("/done")) {
                release.await();
            }
        });
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.close();
    }

    @Test
    void paddedDataIsCreditedInBatchesNotPerFrame() throws Exception {
        try (var client = new RawH2Client(server.port()).handshake()) {
            client.headers(1, false, RawH2Client.request("POST", "/"));
            byte[] padded = new byte[1 + 1 + 10]; // pad length 10, one byte of data, ten of padding
            padded[0] = 10;
            for (int i = 0; i < 200; i++) {
                client.frame(Frame.DATA, Frame.FLAG_PADDED, 1, padded);
            }
            client.frame(Frame.PING, 0, 0, new byte[8]);
            int streamUpdates = 0;
            for (var f = client.read(); f.type() != Frame.PING; f = client.read()) {
                if (f.type() == Frame.WINDOW_UPDATE && f.stream() == 1) {
                    streamUpdates++;
                }
            }
            // 2,000 bytes of padding are far below half the stream window: no update is due yet.
            assertThat(streamUpdates).isZero();
        }
    }

    /**
     * A 4,000-byte field put in the HPACK table once, then referenced five times per request for
     * a byte each: every request is over the 16 KiB header list limit and answered 431 for about
     * ten bytes sent. Those answers are bounded like any frame we answer.
     */
    @Test
    void requestsRefusedForTheirHeaderListSizeAreBounded() throws Exception {
        try (var client = new RawH2Client(server.port()).handshake()) {
            var first = new java.io.ByteArrayOutputStream();
            first.write(RawH2Client.request("GET", "/done"));
            first.write(new byte[] {0x40, 5, 'x', '-', 'b', 'i', 'g'}); // literal, incremental indexing
            first.write(new byte[] {0x7F, (byte) 0xA1, 0x1E}); // value length 4000 (127 + 3873)
            byte[] value = new byte[4000];
            java.util.Arrays.fill(value, (byte) 'a');
            first.write(value);
            client.headers(1, true, first.toByteArray());
            assertThat(client.response(1).status()).isEqualTo("200");
            var oversize = new java.io.ByteArrayOutputStream();
            oversize.write(RawH2Client.request("GET", "/done"));
            for (int i = 0; i < 5; i++) {
                oversize.write(0x80 | 62); // the field above, the newest in the dynamic table
            }
            byte[] block = oversize.toByteArray();
            for (int id = 3; id < 2 * 3000; id += 2) {
                client.headers(id, true, block);
            }
            var goAway = client.expectGoAway();
            assertThat(goAway.errorCode()).isEqualTo(ErrorCode.ENHANCE_YOUR_CALM);
        }
    }

    /** Frames on a stream we reset are ignored (section 5.1), but empty ones are still counted. */
    @Test
    void emptyDataIgnoredOnAStreamWeResetIsBounded() throws Exception {
        try (var client = new RawH2Client(server.port()).handshake()) {
            client.headers(1, false, RawH2Client.request("POST", "/done"));
            client.response(1); // answered without reading the body: the stream is reset, NO_ERROR
            for (int i = 0; i < 5_000; i++) {
                client.data(1, false, new byte[0]);
            }
            var goAway = client.expectGoAway();
            assertThat(goAway.errorCode()).isEqualTo(ErrorCode.ENHANCE_YOUR_CALM);
        }
    }

    @Test
    void framesEachAnsweredWithRstStreamAreBounded() throws Exception {
        try (var client = new RawH2Client(server.port()).handshake()) {
            client.get(1, "/done");
            client.response(1); // stream 1 is closed: each DATA on it is answered with RST_STREAM
            for (int i = 0; i < 5_000; i++) {
                client.data(1, false, new byte[1]);
            }
            var goAway = client.expectGoAway();
            assertThat(goAway.errorCode()).isEqualTo(ErrorCode.ENHANCE_YOUR_CALM);
        }
    }
}
