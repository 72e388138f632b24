package dev.netpoll.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pipelined requests of mixed sizes and framings, written in random segments, are each answered
 * once and in order: heads that straddle the end of the input buffer, bodies that start in one
 * read and end in another, and several requests in one segment all parse exactly as sent.
 */
class PipeliningTest {

    /** Answers "method target length crc" for the body it read. */
    private static final HttpHandler SUMMARY = (request, response) -> {
        byte[] body = request.body().readAllBytes();
        var crc = new CRC32();
        crc.update(body);
        String text = request.method() + " " + request.target() + " " + body.length + " " + Long.toHexString(crc.getValue());
        response.header("Content-Type", "text/plain");
        response.body().write(text.getBytes(StandardCharsets.US_ASCII));
    };

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    @Timeout(60)
    void randomMixesOfPipelinedRequestsAreAnsweredOneForOne(String transport) throws Exception {
        try (var server = new TestServer(HttpConfig.DEFAULTS, SUMMARY, transport)) {
            for (long seed = 1; seed <= 8; seed++) {
                pipelineOnce(server, new Random(seed), 150);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    @Timeout(30)
    void twoHundredSmallPipelinedRequestsInOneWriteAreAllAnswered(String transport) throws Exception {
        try (var server = new TestServer(HttpConfig.DEFAULTS, SUMMARY, transport); var client = server.client()) {
            var all = new ByteArrayOutputStream();
            for (int i = 0; i < 200; i++) {
                all.writeBytes(("GET /json?i=" + i + " HTTP/1.1\r\nHost: localhost\r\nAccept: application/json\r\n"
                        + "User-Agent: pipeline-test/1.0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            }
            client.send(all.toByteArray());
            for (int i = 0; i < 200; i++) {
                assertThat(client.read().text()).isEqualTo("GET /json?i=" + i + " 0 0");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    @Timeout(30)
    void malformedRequestAfterAGoodOneOnTheSameConnectionIsAnswered400(String transport) throws Exception {
        try (var server = new TestServer(HttpConfig.DEFAULTS, SUMMARY, transport); var client = server.client()) {
            client.send("GET /good HTTP/1.1\r\nHost: a\r\n\r\nGET /bad HTTP/1.1\r\nHost: a\r\nBad Name: x\r\n\r\n");
            assertThat(client.read().text()).isEqualTo("GET /good 0 0");
            var refused = client.read();
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.header("Connection")).isEqualTo("close");
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    @Timeout(30)
    void emptyLinesBeforeAndBetweenRequestsAreIgnoredUpToABound(String transport) throws Exception {
        try (var server = new TestServer(HttpConfig.DEFAULTS, SUMMARY, transport); var client = server.client()) {
            client.send("\r\n\r\nGET /one HTTP/1.1\r\nHost: a\r\n\r\n\r\n\r\n\r\nGET /two HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "\r\n".repeat(9) + "GET /three HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(client.read().text()).isEqualTo("GET /one 0 0");
            assertThat(client.read().text()).isEqualTo("GET /two 0 0");
            assertThat(client.read().status()).isEqualTo(400);
            assertThat(server.seen).containsExactly("GET /one", "GET /two");
        }
    }

    private static void pipelineOnce(TestServer server, Random random, int count) throws Exception {
        var wire = new ByteArrayOutputStream();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            // 60 B .. ~12 KiB per request: a head of up to ~6 KiB and a body of up to ~6 KiB.
            int pad = random.nextInt(8) == 0 ? random.nextInt(6000) : random.nextInt(40);
            int bodyLength = random.nextInt(3) == 0 ? 0 : random.nextInt(4) == 0 ? random.nextInt(6000) : random.nextInt(50);
            byte[] body = new byte[bodyLength];
            random.nextBytes(body);
            boolean chunked = bodyLength > 0 && random.nextBoolean();
            String method = bodyLength > 0 ? "POST" : "GET";
            String target = "/r" + i;
            var head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: a\r\n");
            if (pad > 0) {
                head.append("X-Pad: ").append("p".repeat(pad)).append("\r\n");
            }
            if (chunked) {
                head.append("Transfer-Encoding: chunked\r\n");
            } else if (bodyLength > 0) {
                head.append("Content-Length: ").append(bodyLength).append("\r\n");
            }
            head.append("\r\n");
            wire.writeBytes(head.toString().getBytes(StandardCharsets.US_ASCII));
            if (chunked) {
                for (int off = 0; off < bodyLength; ) {
                    int n = Math.min(bodyLength - off, 1 + random.nextInt(2000));
                    wire.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    wire.write(body, off, n);
                    wire.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
                    off += n;
                }
                wire.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            } else {
                wire.writeBytes(body);
            }
            var crc = new CRC32();
            crc.update(body);
            expected.add(method + " " + target + " " + bodyLength + " " + Long.toHexString(crc.getValue()));
        }
        byte[] bytes = wire.toByteArray();
        try (var client = server.client()) {
            // The writer runs apart from the reader: both socket buffers fill on a long pipeline.
            OutputStream out = client.socket.getOutputStream();
            long writerSeed = random.nextLong();
            var writer = CompletableFuture.runAsync(() -> writeInSegments(out, bytes, new Random(writerSeed)));
            for (int i = 0; i < expected.size(); i++) {
                RawClient.Response response = client.read();
                assertThat(response.status()).as("response %d", i).isEqualTo(200);
                assertThat(response.text()).as("response %d", i).isEqualTo(expected.get(i));
            }
            writer.join();
        }
    }

    private static void writeInSegments(OutputStream out, byte[] bytes, Random random) {
        try {
            for (int off = 0; off < bytes.length; ) {
                int n = Math.min(bytes.length - off, random.nextInt(4) == 0 ? 1 + random.nextInt(7) : 1 + random.nextInt(20_000));
                out.write(bytes, off, n);
                out.flush();
                off += n;
            }
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }
}
