package dev.netpoll.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A graceful shutdown loses no request that reaches the server: a request that arrives on a
 * keep-alive connection while the server drains is answered (with {@code Connection: close}),
 * and a connection is closed only once it has been quiet for the quiet period, with a FIN the
 * client reads as the end of the stream rather than a reset.
 */
class GracefulShutdownTest {

    private static HttpConfig quiet(Duration period) {
        return HttpConfig.DEFAULTS.toBuilder().shutdownQuietPeriod(period).build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    @Timeout(30)
    void requestArrivingOnAnIdleConnectionDuringShutdownIsAnsweredWithConnectionClose(String transport) throws Exception {
        var handler = new HeldHandler();
        try (var server = new TestServer(quiet(Duration.ofSeconds(2)), handler, transport);
                var idle = server.client(); var busy = server.client()) {
            assertThat(idle.send("GET /warm HTTP/1.1\r\nHost: a\r\n\r\n").read().status()).isEqualTo(200);
            busy.send("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(handler.entered()).isTrue();

            var shutdown = CompletableFuture.supplyAsync(() -> server.server.shutdownGracefully(Duration.ofSeconds(10)));
            Thread.sleep(300); // the shutdown is under way; the idle connection is still quiet
            var late = idle.send("POST /late HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello").read();
            assertThat(late.text()).isEqualTo("done 5");
            assertThat(late.header("Connection")).isEqualTo("close");
            assertThat(idle.closedByServer()).isTrue();

            handler.release();
            assertThat(busy.read().header("Connection")).isEqualTo("close");
            assertThat(shutdown.get(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    @Timeout(30)
    void quietConnectionIsClosedAfterTheQuietPeriodWithAFinNotAReset(String transport) throws Exception {
        try (var server = new TestServer(quiet(Duration.ofSeconds(1)), TestServer.echoLine(), transport);
                var idle = server.client()) {
            assertThat(idle.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").read().status()).isEqualTo(200);
            long answered = System.nanoTime(); // the quiet period runs from about here
            var shutdown = CompletableFuture.supplyAsync(() -> server.server.shutdownGracefully(Duration.ofSeconds(10)));
            InputStream in = idle.socket.getInputStream();
            int next;
            try {
                next = in.read();
            } catch (IOException reset) {
                throw new AssertionError("the idle connection was reset instead of closed", reset);
            }
            assertThat(next).isEqualTo(-1);
            // Generous: a descheduled test thread only makes the measured time shorter.
            assertThat(Duration.ofNanos(System.nanoTime() - answered)).isGreaterThanOrEqualTo(Duration.ofMillis(500));
            idle.close();
            assertThat(shutdown.get(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    @Timeout(30)
    void connectionQuietForLongerThanThePeriodIsClosedAtOnce(String transport) throws Exception {
        try (var server = new TestServer(quiet(Duration.ofMillis(300)), TestServer.echoLine(), transport);
                var idle = server.client()) {
            assertThat(idle.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").read().status()).isEqualTo(200);
            Thread.sleep(600);
            long started = System.nanoTime();
            var shutdown = CompletableFuture.supplyAsync(() -> server.server.shutdownGracefully(Duration.ofSeconds(10)));
            assertThat(idle.closedByServer()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(250));
            idle.close();
            assertThat(shutdown.get(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll"})
    @Timeout(30)
    void connectionWaitingInTheBacklogWhenShutdownBeginsIsServedNotReset(String transport) throws Exception {
        var handler = new HeldHandler();
        var config = quiet(Duration.ofMillis(200)).toBuilder().maxConnections(1).build();
        try (var server = new TestServer(config, handler, transport);
                var busy = server.client()) {
            busy.send("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(handler.entered()).isTrue();
            // At the connection limit: this one completes its handshake in the kernel's backlog.
            try (var queued = server.client()) {
                queued.send("GET /queued HTTP/1.1\r\nHost: a\r\n\r\n");
                var shutdown = CompletableFuture.supplyAsync(() -> server.server.shutdownGracefully(Duration.ofSeconds(10)));
                Thread.sleep(300);
                handler.release();
                assertThat(busy.read().text()).isEqualTo("done 0");
                var response = queued.read();
                assertThat(response.text()).isEqualTo("done 0");
                assertThat(response.header("Connection")).isEqualTo("close");
                assertThat(shutdown.get(10, TimeUnit.SECONDS)).isTrue();
            }
        }
    }
}
