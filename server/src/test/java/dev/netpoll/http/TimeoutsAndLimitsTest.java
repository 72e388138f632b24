package dev.netpoll.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Slow and idle clients, the connection limit, and shutdown. */
class TimeoutsAndLimitsTest {

    private static HttpConfig fastTimeouts() {
        return HttpConfig.DEFAULTS.toBuilder().headTimeout(Duration.ofMillis(1000)).idleTimeout(Duration.ofMillis(800))
                .bodyReadTimeout(Duration.ofMillis(1000)).writeTimeout(Duration.ofMillis(1000)).build();
    }

    @Test
    @Timeout(30)
    void clientTricklingOneByteAtATimeIsCutOffAtTheHeadTimeoutWhileOthersAreServed() throws Exception {
        try (var server = new TestServer(fastTimeouts(), TestServer.echoLine());
                var slow = server.client()) {
            long start = System.nanoTime();
            CompletableFuture<Boolean> trickle = CompletableFuture.supplyAsync(() -> {
                byte[] request = "GET /slow HTTP/1.1\r\nHost: a\r\nX-Padding: aaaaaaaaaaaaaaaaaaaaaa\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII);
                try {
                    for (byte b : request) {
                        slow.send(new byte[] {b});
                        Thread.sleep(100);
                    }
                    return false;
                } catch (IOException e) {
                    return true; // the server hung up on us
                } catch (InterruptedException e) {
                    return false;
                }
            });
            // Meanwhile everyone else is served at full speed.
            for (int i = 0; i < 20; i++) {
                try (var client = server.client()) {
                    assertThat(client.send("GET /fast HTTP/1.1\r\nHost: a\r\n\r\n").read().status()).isEqualTo(200);
                }
            }
            var response = slow.read();
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(response.status()).isEqualTo(408);
            assertThat(elapsed).isBetween(800L, 4000L);
            assertThat(slow.closedByServer()).isTrue();
            assertThat(server.seen).doesNotContain("GET /slow");
            trickle.cancel(true);
        }
    }

    @Test
    @Timeout(30)
    void idleKeepAliveConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        try (var server = new TestServer(fastTimeouts(), TestServer.echoLine()); var client = server.client()) {
            assertThat(client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").read().status()).isEqualTo(200);
            long start = System.nanoTime();
            assertThat(client.closedByServer()).isTrue();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(500L, 5000L);
        }
    }

    @Test
    @Timeout(30)
    void bodyThatStallsFailsTheReadAtTheBodyTimeout() throws Exception {
        try (var server = new TestServer(fastTimeouts(), TestServer.echoLine()); var client = server.client()) {
            client.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc");
            long start = System.nanoTime();
            var response = client.read();
            assertThat(response.status()).isEqualTo(408);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(800L, 5000L);
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    @Timeout(30)
    void atTheConnectionLimitAcceptingPausesUntilAConnectionEnds() throws Exception {
        try (var server = new TestServer(HttpConfig.DEFAULTS.toBuilder().maxConnections(2).build(), TestServer.echoLine());
                var first = server.client();
                var second = server.client()) {
            assertThat(first.send("GET /1 HTTP/1.1\r\nHost: a\r\n\r\n").read().status()).isEqualTo(200);
            assertThat(second.send("GET /2 HTTP/1.1\r\nHost: a\r\n\r\n").read().status()).isEqualTo(200);
            try (var third = server.client()) {
                third.socket.setSoTimeout(500);
                third.send("GET /3 HTTP/1.1\r\nHost: a\r\n\r\n");
                // The kernel completed the handshake (backlog), but nobody reads it yet.
                assertThatThrownBy(third::read).isInstanceOf(java.net.SocketTimeoutException.class);
                assertThat(server.server.connectionLimitReached()).isPositive();
                first.close();
                third.socket.setSoTimeout(10_000);
                assertThat(third.read().text()).isEqualTo("GET /3 body=0");
            }
        }
    }

    @Test
    @Timeout(30)
    void gracefulShutdownLetsTheRequestInFlightFinishClosesIdleOnesAndRefusesNewOnes() throws Exception {
        var inHandler = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        try (var server = new TestServer(HttpConfig.DEFAULTS, (request, response) -> {
            if (request.path().equals("/slow")) {
                inHandler.countDown();
                release.await();
            }
            response.body().write("done".getBytes(StandardCharsets.US_ASCII));
        })) {
            var idle = server.client();
            assertThat(idle.send("GET /warm HTTP/1.1\r\nHost: a\r\n\r\n").read().status()).isEqualTo(200);
            var busy = server.client();
            busy.send("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(inHandler.await(5, TimeUnit.SECONDS)).isTrue();

            var shutdown = CompletableFuture.supplyAsync(() -> server.server.shutdownGracefully(Duration.ofSeconds(10)));
            assertThat(idle.closedByServer()).as("idle connection closed at once").isTrue();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), server.server.port()).close())
                            .isInstanceOf(ConnectException.class));
            assertThat(shutdown).isNotDone();

            release.countDown();
            var response = busy.read();
            assertThat(response.text()).isEqualTo("done");
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(shutdown.get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(server.server.stats().goroutines()).isZero();
            busy.close();
            idle.close();
        }
    }

    @Test
    @Timeout(30)
    void gracefulShutdownReportsFalseWhenTheGracePeriodEndsFirst() throws Exception {
        var inHandler = new CountDownLatch(1);
        try (var server = new TestServer(HttpConfig.DEFAULTS, (request, response) -> {
            inHandler.countDown();
            Thread.sleep(5_000);
        }); var client = server.client()) {
            client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(inHandler.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(server.server.shutdownGracefully(Duration.ofMillis(300))).isFalse();
        }
    }
}
