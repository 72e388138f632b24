package dev.netpoll.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Request bodies in both framings, trailers, 100-continue, draining, limits and streaming. */
class BodyTest {

    private static TestServer server;
    private static final AtomicLong bodyReads = new AtomicLong();

    @BeforeAll
    static void start() throws Exception {
        var config = HttpConfig.DEFAULTS.toBuilder().maxBodySize(200L * 1024 * 1024).maxDrainSize(64 * 1024).build();
        server = new TestServer(config, (request, response) -> {
            switch (request.path()) {
                case "/echo" -> {
                    if (request.contentLength() > 0) {
                        response.contentLength(request.contentLength());
                    }
                    request.body().transferTo(response.body());
                }
                case "/trailers" -> {
                    byte[] body = request.body().readAllBytes();
                    String text = new String(body, StandardCharsets.US_ASCII) + "|" + request.trailers().get("X-Checksum");
                    response.body().write(text.getBytes(StandardCharsets.US_ASCII));
                }
                case "/ignore" -> response.body().write("ignored".getBytes(StandardCharsets.US_ASCII));
                default -> {
                    bodyReads.incrementAndGet();
                    TestServer.echoLine().handle(request, response);
                }
            }
        });
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void chunkedBodyWithExtensionsAndTrailersIsDecoded() throws Exception {
        try (var client = server.client()) {
            client.send("POST /trailers HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5;name=value;quoted=\"a b\"\r\nhello\r\n"
                    + "1\r\n \r\n"
                    + "A\r\n0123456789\r\n"
                    + "0\r\nX-Checksum: 42\r\n\r\n");
            var response = client.read();
            assertThat(response.text()).isEqualTo("hello 0123456789|42");
            assertThat(client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").read().status()).isEqualTo(200);
        }
    }

    @Test
    void chunkedBodyArrivingByteByByteIsDecoded() throws Exception {
        try (var client = server.client()) {
            byte[] request = ("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "3\r\nabc\r\n4\r\ndefg\r\n0\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            for (byte b : request) {
                client.send(new byte[] {b});
                Thread.sleep(1);
            }
            assertThat(client.read().text()).isEqualTo("abcdefg");
        }
    }

    @Test
    void continueIsSentOnlyWhenTheHandlerReadsTheBody() throws Exception {
        try (var client = server.client()) {
            client.send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            var interim = client.read();
            assertThat(interim.status()).isEqualTo(100);
            client.send("hello");
            var response = client.read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.text()).isEqualTo("hello");
        }
        try (var client = server.client()) {
            client.send("POST /ignore HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            var response = client.read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.text()).isEqualTo("ignored");
            // The body never came and cannot be told apart from the next request: close.
            assertThat(response.header("Connection")).isEqualTo("close");
        }
    }

    @Test
    void smallUnreadBodyIsDrainedAndTheConnectionReused() throws Exception {
        try (var client = server.client()) {
            String body = "x".repeat(10_000);
            var response = client.send("POST /ignore HTTP/1.1\r\nHost: a\r\nContent-Length: 10000\r\n\r\n" + body).read();
            assertThat(response.header("Connection")).isNull();
            assertThat(client.send("GET /next HTTP/1.1\r\nHost: a\r\n\r\n").read().text()).isEqualTo("GET /next body=0");
        }
    }

    @Test
    void largeUnreadBodyClosesTheConnectionAfterTheResponse() throws Exception {
        try (var client = server.client()) {
            client.send("POST /ignore HTTP/1.1\r\nHost: a\r\nContent-Length: 10000000\r\n\r\n" + "x".repeat(1000));
            var response = client.read();
            assertThat(response.text()).isEqualTo("ignored");
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void bodyOverTheLimitIs413BeforeTheHandlerRuns() throws Exception {
        long reads = bodyReads.get();
        try (var client = server.client()) {
            var response = client.send("POST /limit HTTP/1.1\r\nHost: a\r\nContent-Length: 300000000\r\n\r\n").read();
            assertThat(response.status()).isEqualTo(413);
            assertThat(client.closedByServer()).isTrue();
        }
        assertThat(bodyReads.get()).isEqualTo(reads);
    }

    @Test
    void chunkedBodyOverTheLimitIs413() throws Exception {
        var config = HttpConfig.DEFAULTS.toBuilder().maxBodySize(10).build();
        try (var small = new TestServer(config, TestServer.echoLine()); var client = small.client()) {
            var response = client.send("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "8\r\n12345678\r\n8\r\n12345678\r\n0\r\n\r\n").read();
            assertThat(response.status()).isEqualTo(413);
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void bodyCutShortByTheClientFailsTheReadNotTheServer() throws Exception {
        try (var client = server.client()) {
            client.send("POST /echo-line HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\nonly this");
            client.socket.shutdownOutput();
            var response = client.read();
            assertThat(response.status()).isEqualTo(400);
        }
        try (var client = server.client()) {
            assertThat(client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").read().status()).isEqualTo(200);
        }
    }

    @Test
    @Timeout(120)
    void hundredMegabyteBodyIsStreamedThroughWithoutBeingHeld() throws Exception {
        long size = 100L * 1024 * 1024;
        try (var client = server.client()) {
            client.socket.setSoTimeout(60_000);
            var sent = new CRC32();
            var firstEchoSeen = new CountDownLatch(1);
            var sentWhenFirstEchoSeen = new AtomicLong(-1);
            var written = new AtomicLong();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = client.socket.getOutputStream();
                    out.write(("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: " + size + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    var random = new Random(7);
                    byte[] chunk = new byte[64 * 1024];
                    for (long left = size; left > 0; left -= chunk.length) {
                        random.nextBytes(chunk);
                        int n = (int) Math.min(chunk.length, left);
                        sent.update(chunk, 0, n);
                        out.write(chunk, 0, n);
                        written.addAndGet(n);
                    }
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            InputStream in = client.socket.getInputStream();
            String statusLine = readLine(in);
            assertThat(statusLine).startsWith("HTTP/1.1 200");
            while (!readLine(in).isEmpty()) {
                // headers
            }
            var received = new CRC32();
            long total = 0;
            byte[] chunk = new byte[64 * 1024];
            while (total < size) {
                int n = in.read(chunk, 0, (int) Math.min(chunk.length, size - total));
                assertThat(n).isPositive();
                if (total == 0) {
                    sentWhenFirstEchoSeen.set(written.get());
                    firstEchoSeen.countDown();
                }
                received.update(chunk, 0, n);
                total += n;
            }
            writer.get(60, TimeUnit.SECONDS);
            assertThat(total).isEqualTo(size);
            assertThat(received.getValue()).isEqualTo(sent.getValue());
            // Echo started long before the upload ended: the server streams, it does not buffer.
            assertThat(sentWhenFirstEchoSeen.get()).isLessThan(size / 2);
        }
    }

    private static String readLine(InputStream in) throws Exception {
        var line = new StringBuilder();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }
}
