package dev.netpoll.http2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netpoll.http.HttpHandler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Multiplexing as a user sees it: a slow stream does not hold the others up, each stream runs on
 * a task of its own (counted as a goroutine), a large upload shares its connection with small
 * requests under flow control, and graceful shutdown sends GOAWAY and lets open streams finish.
 */
@Timeout(60)
class Http2StreamsTest {

    private H2TestServer server;
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch smallDone = new CountDownLatch(50);
    private final CountDownLatch uploadStarted = new CountDownLatch(1);

    String transport() {
        return "epoll";
    }

    @BeforeEach
    void start() throws Exception {
        HttpHandler handler = (request, response) -> {
            switch (request.path()) {
                case "/slow" -> release.await(30, TimeUnit.SECONDS);
                case "/upload" -> {
                    uploadStarted.countDown();
                    // Reads nothing until the small requests are done: its window fills, the others flow.
                    smallDone.await(30, TimeUnit.SECONDS);
                    long total = 0;
                    byte[] buffer = new byte[64 * 1024];
                    for (int n; (n = request.body().read(buffer)) > 0; ) {
                        total += n;
                    }
                    response.body().write(("uploaded " + total).getBytes(StandardCharsets.US_ASCII));
                    return;
                }
                default -> {
                }
            }
            response.body().write(("done " + request.path()).getBytes(StandardCharsets.US_ASCII));
        };
        server = new H2TestServer(transport(), handler);
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.close();
    }

    @Test
    void ninetyNineStreamsFinishWhileTheHundredthIsSlowAndEachRunsOnItsOwnTask() throws Exception {
        try (var client = new RawH2Client(server.port()).handshake()) {
            client.get(1, "/slow");
            for (int id = 3; id <= 199; id += 2) {
                client.get(id, "/fast/" + id);
            }
            Set<Integer> ended = new HashSet<>();
            long started = System.nanoTime();
            while (ended.size() < 99) {
                RawH2Client.Received f = client.read();
                assertThat(f).isNotNull();
                assertThat(f.type()).isNotIn(Frame.GOAWAY, Frame.RST_STREAM);
                if (f.has(Frame.FLAG_END_STREAM) && (f.type() == Frame.DATA || f.type() == Frame.HEADERS)) {
                    ended.add(f.stream());
                }
            }
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
            assertThat(ended).doesNotContain(1);
            // The slow stream's task is a goroutine of the server, beside the connection's and the accept loop's.
            // A task leaves the table just after its response's last frame: wait for the last few.
            org.awaitility.Awaitility.await().until(() -> server.protocol.activeStreams() == 1);
            assertThat(server.server.tasks()).hasSizeGreaterThanOrEqualTo(3);
            assertThat(server.server.stats().goroutines()).isGreaterThanOrEqualTo(3);
            assertThat(server.server.connections().getFirst().requestsInProgress()).containsExactly("stream 1: GET /slow");
            release.countDown();
            RawH2Client.Response slow = client.response(1);
            assertThat(new String(slow.body(), StandardCharsets.US_ASCII)).isEqualTo("done /slow");
        }
    }

    @Test
    void aFiftyMegabyteUploadSharesItsConnectionWithFiftySmallRequests() throws Exception {
        try (var client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build()) {
            String base = "http://127.0.0.1:" + server.port();
            // The first request upgrades the connection to h2c; the rest share it.
            assertThat(client.send(HttpRequest.newBuilder(URI.create(base + "/first")).build(),
                    HttpResponse.BodyHandlers.ofString()).version()).isEqualTo(HttpClient.Version.HTTP_2);
            byte[] upload = new byte[50 * 1024 * 1024];
            CompletableFuture<HttpResponse<String>> big = client.sendAsync(HttpRequest.newBuilder(URI.create(base + "/upload"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(upload)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(uploadStarted.await(10, TimeUnit.SECONDS)).isTrue();
            List<CompletableFuture<HttpResponse<String>>> small = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                small.add(client.sendAsync(HttpRequest.newBuilder(URI.create(base + "/small/" + i)).build(),
                        HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> smallDone.countDown()));
            }
            for (int i = 0; i < 50; i++) {
                var response = small.get(i).get(20, TimeUnit.SECONDS);
                assertThat(response.body()).isEqualTo("done /small/" + i);
            }
            assertThat(big.isDone()).isFalse();
            assertThat(big.get(30, TimeUnit.SECONDS).body()).isEqualTo("uploaded " + upload.length);
            assertThat(server.server.connectionsAccepted()).isEqualTo(1);
        }
    }

    @Test
    void gracefulShutdownSendsGoAwayWithTheLastStreamAndLetsItFinish() throws Exception {
        try (var client = new RawH2Client(server.port()).handshake()) {
            client.get(1, "/slow");
            org.awaitility.Awaitility.await().until(() -> server.protocol.activeStreams() == 1);
            var shutdown = CompletableFuture.supplyAsync(() -> server.server.shutdownGracefully(Duration.ofSeconds(20)));
            RawH2Client.Received goAway = client.expectGoAway();
            assertThat(goAway.errorCode()).isEqualTo(ErrorCode.NO_ERROR);
            assertThat(goAway.lastStreamId()).isEqualTo(1);
            client.get(3, "/after-goaway");
            release.countDown();
            RawH2Client.Response slow = client.response(1);
            assertThat(new String(slow.body(), StandardCharsets.US_ASCII)).isEqualTo("done /slow");
            assertThat(client.closedByServer()).isTrue();
            assertThat(shutdown.get(20, TimeUnit.SECONDS)).isTrue();
            assertThat(server.protocol.streamsTotal()).isEqualTo(1);
        }
    }
}
