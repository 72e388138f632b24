package dev.netpoll.websocket;

import static dev.netpoll.websocket.RawClient.CONTINUATION;
import static dev.netpoll.websocket.RawClient.TEXT;
import static dev.netpoll.websocket.RawClient.frame;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * permessage-deflate (RFC 7692) with hand-made compressed frames: offers the server cannot honour
 * are declined, a compressed message that inflates past the size limit closes with 1009 before it
 * is inflated whole, corrupt data with 1007, and RSV1 on a continuation frame with 1002.
 */
class DeflateProtocolTest {

    static final String OFFER = "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n";
    static WebSocketServer server;

    @BeforeAll
    static void start() throws Exception {
        server = WebSocketServer.start("epoll", WebSocketServer.smallLimits());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static byte[] compress(byte[] data) {
        var deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        deflater.setInput(data);
        var out = new ByteArrayOutputStream();
        byte[] chunk = new byte[4096];
        int n;
        do {
            n = deflater.deflate(chunk, 0, chunk.length, Deflater.SYNC_FLUSH);
            out.write(chunk, 0, n);
        } while (n == chunk.length);
        deflater.end();
        byte[] bytes = out.toByteArray();
        return Arrays.copyOf(bytes, bytes.length - 4); // without 00 00 FF FF
    }

    static String inflate(byte[] payload) throws Exception {
        var inflater = new Inflater(true);
        byte[] withTail = Arrays.copyOf(payload, payload.length + 4);
        withTail[payload.length + 2] = (byte) 0xFF;
        withTail[payload.length + 3] = (byte) 0xFF;
        inflater.setInput(withTail);
        byte[] out = new byte[65536];
        int n = inflater.inflate(out);
        inflater.end();
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }

    static RawClient compressed() throws Exception {
        RawClient client = RawClient.connect(server.port(), "/echo", OFFER, new byte[0]);
        assertThat(client.handshakeResponse).startsWith("HTTP/1.1 101").contains(
                "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; client_no_context_takeover");
        return client;
    }

    @Test
    void compressedMessagesBothWays() throws Exception {
        try (RawClient client = compressed()) {
            for (int i = 0; i < 3; i++) {
                String text = "squeeze ".repeat(100) + i;
                client.send(frame(true, 4, TEXT, compress(text.getBytes(StandardCharsets.UTF_8)), true));
                RawClient.Frame echo = client.read();
                assertThat(echo.payload().length).isLessThan(text.length());
                assertThat(inflate(echo.payload())).isEqualTo(text);
            }
        }
    }

    /**
     * Section 7: an offer with an invalid value or a repeated parameter MUST be declined; one with
     * server_max_window_bits may only be accepted by answering with it (section 7.1.2.1), which
     * this server does not, so it is declined too (a window below 15 bits it could not keep anyway).
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"server_max_window_bits=10", "server_max_window_bits=15",
            "client_max_window_bits=7", "client_max_window_bits=16", "client_max_window_bits=abc", "client_max_window_bits=010",
            "server_no_context_takeover=1", "client_no_context_takeover; client_no_context_takeover", "x_unknown"})
    void offersItCannotAnswerAsOfferedAreDeclined(String parameters) throws Exception {
        try (RawClient client = RawClient.connect(server.port(), "/echo",
                "Sec-WebSocket-Extensions: permessage-deflate; " + parameters + "\r\n", new byte[0])) {
            assertThat(client.handshakeResponse).startsWith("HTTP/1.1 101").doesNotContain("Sec-WebSocket-Extensions");
            client.send(RawClient.text("plain"));
            assertThat(client.read().text()).isEqualTo("plain");
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"client_max_window_bits", "client_max_window_bits=10",
            "client_max_window_bits=\"15\"", "server_no_context_takeover; client_no_context_takeover", ""})
    void validOffersAreAccepted(String parameters) throws Exception {
        String offer = parameters.isEmpty() ? "permessage-deflate" : "permessage-deflate; " + parameters;
        try (RawClient client = RawClient.connect(server.port(), "/echo",
                "Sec-WebSocket-Extensions: " + offer + "\r\n", new byte[0])) {
            assertThat(client.handshakeResponse).startsWith("HTTP/1.1 101").contains("permessage-deflate");
        }
    }

    @Test
    void messageInflatingPastTheLimitIsTooBig() throws Exception {
        byte[] bomb = compress(new byte[1_000_000]);
        assertThat(bomb.length).isLessThan(1024);
        try (RawClient client = compressed()) {
            client.send(frame(true, 4, RawClient.BINARY, bomb, true));
            assertThat(client.readClose().closeCode()).isEqualTo(1009);
            assertThat(client.serverClosedConnection()).isTrue();
        }
    }

    @Test
    void corruptCompressedDataIsInconsistent() throws Exception {
        try (RawClient client = compressed()) {
            client.send(frame(true, 4, TEXT, new byte[] {(byte) 0xFF, (byte) 0xFF, 0x12, 0x34}, true));
            assertThat(client.readClose().closeCode()).isEqualTo(1007);
        }
    }

    @Test
    void rsv1OnAContinuationIsAProtocolError() throws Exception {
        try (RawClient client = compressed()) {
            byte[] data = compress("abc".getBytes(StandardCharsets.UTF_8));
            client.send(frame(false, 4, TEXT, data, true), frame(true, 4, CONTINUATION, data, true));
            assertThat(client.readClose().closeCode()).isEqualTo(1002);
        }
    }
}
