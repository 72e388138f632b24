package dev.netpoll.http2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netpoll.http.HttpHandler;
import dev.netpoll.tls.TestCertificates;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The protocol errors RFC 9113 assigns, each from raw frames, asserting the exact error code
 * and whether it ends the stream (RST_STREAM, the connection goes on and serves the next
 * request) or the connection (GOAWAY).
 */
@Timeout(30)
class Http2ProtocolErrorsTest {

    private H2TestServer server;
    private RawH2Client client;
    /** Held by requests to /hold until released, so that a stream stays open. */
    private final CountDownLatch release = new CountDownLatch(1);

    String transport() {
        return "epoll";
    }

    @BeforeEach
    void start() throws Exception {
        HttpHandler handler = (request, response) -> {
            if (request.path().equals("/hold")) {
                release.await(20, TimeUnit.SECONDS);
            }
            if (request.path().equals("/early")) {
                response.body().write("early".getBytes(StandardCharsets.US_ASCII)); // the body left unread
                return;
            }
            byte[] body = request.body().readAllBytes();
            response.body().write(("ok " + body.length).getBytes(StandardCharsets.US_ASCII));
        };
        server = new H2TestServer(transport(), handler);
        client = new RawH2Client(server.port()).handshake();
    }

    @AfterEach
    void stop() throws Exception {
        release.countDown();
        client.close();
        server.close();
    }

    private void assertConnectionError(int code) throws Exception {
        RawH2Client.Received goAway = client.expectGoAway();
        assertThat(goAway.errorCode()).as(new String(goAway.payload(), 8, goAway.payload().length - 8)).isEqualTo(code);
        assertThat(client.closedByServer()).isTrue();
    }

    /**
     * Opens a POST on {@code stream} that the server answers without reading its body, so it ends
     * the stream with RST_STREAM NO_ERROR, and waits until the stream has left the server's table.
     */
    private void answeredBeforeItsBodyAndReset(int stream) throws Exception {
        client.headers(stream, false, RawH2Client.request("POST", "/early"));
        RawH2Client.Response early = client.response(stream);
        assertThat(new String(early.body(), StandardCharsets.US_ASCII)).isEqualTo("early");
        assertThat(client.expectReset(stream)).isEqualTo(ErrorCode.NO_ERROR);
        Thread.sleep(100); // the stream's task leaves the table after its reset
    }

    /** A stream error leaves the connection serving: the next stream gets its answer. */
    private void assertStreamError(int stream, int code, int nextStream) throws Exception {
        assertThat(client.expectReset(stream)).isEqualTo(code);
        client.get(nextStream, "/after");
        RawH2Client.Response next = client.response(nextStream);
        assertThat(next.status()).isEqualTo("200");
        assertThat(new String(next.body(), StandardCharsets.US_ASCII)).isEqualTo("ok 0");
    }

    @Test
    void aValidRequestIsAnswered() throws Exception {
        client.headers(1, false, RawH2Client.request("POST", "/p", "content-length", "3"));
        client.data(1, true, new byte[] {1, 2, 3});
        RawH2Client.Response response = client.response(1);
        assertThat(response.status()).isEqualTo("200");
        assertThat(response.fields()).contains("content-length: 4");
        assertThat(new String(response.body(), StandardCharsets.US_ASCII)).isEqualTo("ok 3");
    }

    @Test
    void aBadPrefaceAfterAlpnH2IsAConnectionProtocolError(@TempDir Path dir) throws Exception {
        Path store = TestCertificates.keyStore(dir, "server", "EC", "localhost");
        try (var tls = new H2TestServer(transport(), dev.netpoll.http.HttpConfig.DEFAULTS, Http2Config.DEFAULTS, store,
                (request, response) -> { })) {
            var socket = (SSLSocket) TestCertificates.clientContext(store, null).getSocketFactory()
                    .createSocket("localhost", tls.port());
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setApplicationProtocols(new String[] {"h2"});
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            assertThat(socket.getApplicationProtocol()).isEqualTo("h2");
            try (var raw = new RawH2Client(socket)) {
                raw.raw("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(raw.read().type()).isEqualTo(Frame.SETTINGS);
                assertThat(raw.expectGoAway().errorCode()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
            }
        }
    }

    @Test
    void aFirstFrameOtherThanSettingsIsAConnectionProtocolError() throws Exception {
        try (var raw = new RawH2Client(server.port())) {
            raw.raw(Frame.PREFACE);
            raw.frame(Frame.PING, 0, 0, new byte[8]);
            assertThat(raw.expectGoAway().errorCode()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
        }
    }

    @Test
    void dataOnAClosedStreamIsAStreamClosedStreamError() throws Exception {
        client.get(1, "/done");
        assertThat(client.response(1).status()).isEqualTo("200");
        client.data(1, true, new byte[] {1});
        assertStreamError(1, ErrorCode.STREAM_CLOSED, 3);
    }

    @Test
    void dataAfterEndStreamIsAStreamClosedStreamError() throws Exception {
        client.headers(1, true, RawH2Client.request("GET", "/hold"));
        client.data(1, false, new byte[] {1});
        assertThat(client.expectReset(1)).isEqualTo(ErrorCode.STREAM_CLOSED);
    }

    @Test
    void headersOnAClosedStreamIsAConnectionStreamClosedError() throws Exception {
        client.get(1, "/done");
        assertThat(client.response(1).status()).isEqualTo("200");
        client.headers(1, true, RawH2Client.request("GET", "/again"));
        assertConnectionError(ErrorCode.STREAM_CLOSED);
    }

    /**
     * Section 5.1: the rest of a request body and its trailers, sent before our RST_STREAM (the
     * response was complete without them) reached the client, are ignored, even once the stream
     * has left the server's table: the connection and its other streams go on.
     */
    @Test
    void framesInFlightForAStreamWeResetAreIgnored() throws Exception {
        answeredBeforeItsBodyAndReset(1);
        client.data(1, false, new byte[] {1, 2, 3});
        client.headers(1, true, RawH2Client.block("x-checksum", "6"));
        client.get(3, "/after");
        RawH2Client.Response next = client.response(3);
        assertThat(next.status()).isEqualTo("200");
        assertThat(new String(next.body(), StandardCharsets.US_ASCII)).isEqualTo("ok 0");
        assertThat(client.stashed()).as("frames on stream 1 meanwhile").noneMatch(f -> f.stream() == 1);
    }

    /**
     * What is ignored after our reset is bounded by what the stream's window let the client have
     * in flight; DATA past it is sent on a closed stream and answered as such.
     */
    @Test
    void dataBeyondTheWindowOfAStreamWeResetIsAStreamClosedError() throws Exception {
        answeredBeforeItsBodyAndReset(1);
        int window = Http2Config.DEFAULTS.initialStreamWindow();
        for (int sent = 0; sent <= window; sent += 16_384) {
            client.data(1, false, new byte[16_384]);
        }
        assertStreamError(1, ErrorCode.STREAM_CLOSED, 3);
    }

    @Test
    void dataOnAnIdleStreamIsAConnectionProtocolError() throws Exception {
        client.data(5, true, new byte[] {1});
        assertConnectionError(ErrorCode.PROTOCOL_ERROR);
    }

    @Test
    void headersWithPriorityAndPaddingLongerThanTheBlockIsAConnectionProtocolError() throws Exception {
        // Section 6.2: room for the pad length and priority fields, but padding past the block is
        // PROTOCOL_ERROR, not FRAME_SIZE_ERROR (which is for a frame too short for its fields).
        byte[] payload = new byte[10];
        payload[0] = 9; // pad length
        client.frame(Frame.HEADERS, Frame.FLAG_PADDED | Frame.FLAG_PRIORITY | Frame.FLAG_END_HEADERS, 1, payload);
        assertConnectionError(ErrorCode.PROTOCOL_ERROR);
    }

    @Test
    void anEvenStreamIdIsAConnectionProtocolError() throws Exception {
        client.headers(2, true, RawH2Client.request("GET", "/even"));
        assertConnectionError(ErrorCode.PROTOCOL_ERROR);
    }

    /**
     * Section 5.1.1: a new stream's id must exceed every id opened before. Stream 3 was never
     * used, so HEADERS on it after stream 5 opens a stream out of order (PROTOCOL_ERROR), where
     * HEADERS on stream 5 again would be a frame on a closed stream (STREAM_CLOSED, above).
     */
    @Test
    void openingASkippedLowerStreamIdIsAConnectionProtocolError() throws Exception {
        client.get(5, "/done");
        assertThat(client.response(5).status()).isEqualTo("200");
        client.headers(3, true, RawH2Client.request("GET", "/back"));
        assertConnectionError(ErrorCode.PROTOCOL_ERROR);
    }

    @Test
    void aConnectionWindowOverflowIsAConnectionFlowControlError() throws Exception {
        client.frame(Frame.WINDOW_UPDATE, 0, 0, RawH2Client.int32(Integer.MAX_VALUE));
        assertConnectionError(ErrorCode.FLOW_CONTROL_ERROR);
    }

    @Test
    void aStreamWindowOverflowIsAStreamFlowControlError() throws Exception {
        client.headers(1, false, RawH2Client.request("POST", "/hold"));
        client.frame(Frame.WINDOW_UPDATE, 0, 1, RawH2Client.int32(Integer.MAX_VALUE));
        assertStreamError(1, ErrorCode.FLOW_CONTROL_ERROR, 3);
    }

    @Test
    void aZeroWindowIncrementIsAProtocolErrorOfItsStreamOrOfTheConnection() throws Exception {
        client.headers(1, false, RawH2Client.request("POST", "/hold"));
        client.frame(Frame.WINDOW_UPDATE, 0, 1, RawH2Client.int32(0));
        assertStreamError(1, ErrorCode.PROTOCOL_ERROR, 3);
        client.frame(Frame.WINDOW_UPDATE, 0, 0, RawH2Client.int32(0));
        assertConnectionError(ErrorCode.PROTOCOL_ERROR);
    }

    @Test
    void dataBeyondTheStreamWindowIsAStreamFlowControlError() throws Exception {
        client.headers(1, false, RawH2Client.request("POST", "/hold"));
        byte[] chunk = new byte[16_384];
        // 256 KiB is the stream's window: the 17th frame passes it.
        for (int i = 0; i < 17; i++) {
            client.data(1, false, chunk);
        }
        assertThat(client.expectReset(1)).isEqualTo(ErrorCode.FLOW_CONTROL_ERROR);
    }

    @Test
    void anUnknownPseudoHeaderIsAStreamProtocolError() throws Exception {
        client.headers(1, true, RawH2Client.request("GET", "/", ":foo", "bar"));
        assertStreamError(1, ErrorCode.PROTOCOL_ERROR, 3);
    }

    @Test
    void aResponsePseudoHeaderInARequestIsAStreamProtocolError() throws Exception {
        client.headers(1, true, RawH2Client.block(":status", "200", ":method", "GET", ":scheme", "http", ":path", "/"));
        assertStreamError(1, ErrorCode.PROTOCOL_ERROR, 3);
    }

    @Test
    void aPseudoHeaderAfterARegularFieldIsAStreamProtocolError() throws Exception {
        client.headers(1, true, RawH2Client.block(":method", "GET", ":scheme", "http", "accept", "*/*", ":path", "/"));
        assertStreamError(1, ErrorCode.PROTOCOL_ERROR, 3);
    }

    @Test
    void aMissingOrRepeatedPseudoHeaderIsAStreamProtocolError() throws Exception {
        client.headers(1, true, RawH2Client.block(":method", "GET", ":scheme", "http"));
        assertStreamError(1, ErrorCode.PROTOCOL_ERROR, 3);
        client.headers(5, true, RawH2Client.block(":method", "GET", ":method", "POST", ":scheme", "http", ":path", "/"));
        assertStreamError(5, ErrorCode.PROTOCOL_ERROR, 7);
    }

    @Test
    void anUppercaseFieldNameIsAStreamProtocolError() throws Exception {
        client.headers(1, true, RawH2Client.request("GET", "/", "X-Upper", "1"));
        assertStreamError(1, ErrorCode.PROTOCOL_ERROR, 3);
    }

    @Test
    void connectionSpecificFieldsAreStreamProtocolErrors() throws Exception {
        client.headers(1, true, RawH2Client.request("GET", "/", "connection", "keep-alive"));
        assertStreamError(1, ErrorCode.PROTOCOL_ERROR, 3);
        client.headers(5, true, RawH2Client.request("GET", "/", "transfer-encoding", "chunked"));
        assertStreamError(5, ErrorCode.PROTOCOL_ERROR, 7);
        client.headers(9, true, RawH2Client.request("GET", "/", "te", "gzip"));
        assertStreamError(9, ErrorCode.PROTOCOL_ERROR, 11);
        client.headers(13, true, RawH2Client.request("GET", "/", "te", "trailers"));
        assertThat(client.response(13).status()).isEqualTo("200");
    }

    @Test
    void aBodyShorterOrLongerThanContentLengthIsAStreamProtocolError() throws Exception {
        client.headers(1, false, RawH2Client.request("POST", "/", "content-length", "10"));
        client.data(1, true, new byte[5]);
        assertStreamError(1, ErrorCode.PROTOCOL_ERROR, 3);
        client.headers(5, false, RawH2Client.request("POST", "/", "content-length", "2"));
        client.data(5, false, new byte[3]);
        assertStreamError(5, ErrorCode.PROTOCOL_ERROR, 7);
    }

    @Test
    void aFrameLargerThanOurMaxFrameSizeIsAConnectionFrameSizeError() throws Exception {
        client.headers(1, false, RawH2Client.request("POST", "/hold"));
        client.data(1, false, new byte[16_385]);
        assertConnectionError(ErrorCode.FRAME_SIZE_ERROR);
    }

    @Test
    void pingIsAnsweredAndAPingOfTheWrongSizeIsAConnectionFrameSizeError() throws Exception {
        client.frame(Frame.PING, 0, 0, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        RawH2Client.Received ack = client.read();
        assertThat(ack.type()).isEqualTo(Frame.PING);
        assertThat(ack.has(Frame.FLAG_ACK)).isTrue();
        assertThat(ack.payload()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
        client.frame(Frame.PING, 0, 0, new byte[7]);
        assertConnectionError(ErrorCode.FRAME_SIZE_ERROR);
    }

    @Test
    void invalidSettingsValuesAreConnectionErrors() throws Exception {
        client.settings(Frame.SETTINGS_INITIAL_WINDOW_SIZE, 0x80000000);
        assertConnectionError(ErrorCode.FLOW_CONTROL_ERROR);
        try (var other = new RawH2Client(server.port()).handshake()) {
            other.settings(Frame.SETTINGS_MAX_FRAME_SIZE, 100);
            assertThat(other.expectGoAway().errorCode()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
        }
    }

    @Test
    void settingsAreAcknowledged() throws Exception {
        client.settings(Frame.SETTINGS_MAX_FRAME_SIZE, 32_768);
        RawH2Client.Received ack = client.read();
        assertThat(ack.type()).isEqualTo(Frame.SETTINGS);
        assertThat(ack.has(Frame.FLAG_ACK)).isTrue();
    }

    @Test
    void anUndecodableHeaderBlockIsAConnectionCompressionError() throws Exception {
        client.headers(1, true, new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F});
        assertConnectionError(ErrorCode.COMPRESSION_ERROR);
    }

    @Test
    void continuationWithoutHeadersIsAConnectionProtocolError() throws Exception {
        client.frame(Frame.CONTINUATION, Frame.FLAG_END_HEADERS, 1, RawH2Client.request("GET", "/"));
        assertConnectionError(ErrorCode.PROTOCOL_ERROR);
    }

    @Test
    void anotherFrameInsideAHeaderBlockIsAConnectionProtocolError() throws Exception {
        client.frame(Frame.HEADERS, Frame.FLAG_END_STREAM, 1, RawH2Client.request("GET", "/"));
        client.frame(Frame.PING, 0, 0, new byte[8]);
        assertConnectionError(ErrorCode.PROTOCOL_ERROR);
    }

    @Test
    void aHeaderBlockSplitOverContinuationFramesIsServed() throws Exception {
        byte[] block = RawH2Client.request("GET", "/split", "x-a", "1", "x-b", "2");
        int half = block.length / 2;
        client.frame(Frame.HEADERS, Frame.FLAG_END_STREAM, 1, java.util.Arrays.copyOf(block, half));
        client.frame(Frame.CONTINUATION, Frame.FLAG_END_HEADERS, 1, java.util.Arrays.copyOfRange(block, half, block.length));
        assertThat(client.response(1).status()).isEqualTo("200");
    }

    @Test
    void priorityIsAcceptedAndIgnoredButAStreamMayNotDependOnItself() throws Exception {
        byte[] priority = {0, 0, 0, 0, 16};
        client.frame(Frame.PRIORITY, 0, 1, priority);
        client.get(1, "/");
        assertThat(client.response(1).status()).isEqualTo("200");
        client.frame(Frame.PRIORITY, 0, 3, new byte[] {0, 0, 0, 3, 16});
        assertStreamError(3, ErrorCode.PROTOCOL_ERROR, 5);
    }

    @Test
    void pushPromiseFromAClientIsAConnectionProtocolError() throws Exception {
        client.frame(Frame.PUSH_PROMISE, Frame.FLAG_END_HEADERS, 1, new byte[] {0, 0, 0, 2});
        assertConnectionError(ErrorCode.PROTOCOL_ERROR);
    }

    @Test
    void aClientResetEndsItsStreamAndTheConnectionGoesOn() throws Exception {
        client.headers(1, false, RawH2Client.request("POST", "/hold"));
        client.frame(Frame.RST_STREAM, 0, 1, RawH2Client.int32(ErrorCode.CANCEL));
        release.countDown();
        client.get(3, "/after");
        assertThat(client.response(3).status()).isEqualTo("200");
    }
}
