package dev.netpoll.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Serving must not depend on a free carrier beyond what a request itself needs. Each test runs the
 * server in a JVM whose virtual-thread scheduler has exactly one carrier ({@link OneCarrierServer}),
 * where one misbehaving task would otherwise stall every connection until a deadline (the defaults:
 * 60 s idle, 30 s body read) rescues it. Bounds are generous (a second or more) for a busy machine;
 * the stalls they catch last tens of seconds.
 */
@Timeout(60)
class CarrierStarvationTest {

    private static final List<String> ONE_CARRIER = List.of(
            "-Djdk.virtualThreadScheduler.parallelism=1",
            "-Djdk.virtualThreadScheduler.maxPoolSize=1",
            "--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED");

    private static ChildJvm server(String transport) throws Exception {
        return new ChildJvm(ONE_CARRIER, OneCarrierServer.class, transport);
    }

    /**
     * A handler that returns with its task interrupted must not make that connection's next wait
     * for a request spin on the carrier (a virtual thread's park returns at once while its
     * interrupt flag is set). The interrupt is stale: the connection carries on as well.
     */
    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void aHandlerLeavingItsTaskInterruptedStallsNeitherOtherClientsNorItsConnection(String transport)
            throws Exception {
        try (var child = server(transport)) {
            int port = Integer.parseInt(child.awaitLine("PORT", 30));
            try (var first = new RawClient(port); var second = new RawClient(port)) {
                var interrupted = first.send("GET /interrupt HTTP/1.1\r\nHost: t\r\n\r\n").read();
                assertThat(interrupted.text()).isEqualTo("interrupted");

                long start = System.nanoTime();
                var other = second.send("GET /other HTTP/1.1\r\nHost: t\r\n\r\n").read();
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                assertThat(other.text()).isEqualTo("ok");
                assertThat(took).as("second client served while the first idles").isLessThan(Duration.ofSeconds(1));

                var again = first.send("GET /sleep HTTP/1.1\r\nHost: t\r\n\r\n").read();
                assertThat(again.text()).as("the connection serves on, its next request not interrupted")
                        .isEqualTo("slept");
            }
        }
    }

    /**
     * A CPU-bound handler holds the only carrier for two seconds; a request that arrived meanwhile
     * is read and answered as soon as the carrier is free, not at a deadline.
     */
    @Test
    void aRequestArrivingWhileACpuBoundHandlerHoldsTheCarrierIsServedRightAfter() throws Exception {
        try (var child = server("epoll")) {
            int port = Integer.parseInt(child.awaitLine("PORT", 30));
            try (var busy = new RawClient(port); var other = new RawClient(port)) {
                busy.send("GET /spin HTTP/1.1\r\nHost: t\r\n\r\n");
                Thread.sleep(300);
                other.send("GET /other HTTP/1.1\r\nHost: t\r\n\r\n");
                assertThat(busy.read().text()).isEqualTo("spun 2000");
                long freed = System.nanoTime();
                assertThat(other.read().text()).isEqualTo("ok");
                assertThat(Duration.ofNanos(System.nanoTime() - freed)).isLessThan(Duration.ofSeconds(1));
            }
        }
    }

    /**
     * A task pinned to the only carrier parks in a body read (its park blocks the carrier thread):
     * the body's arrival must still wake it, although the poll task, a virtual thread, cannot run.
     * With a deferred accept the connection arrives with its head, so the body read is its first
     * wait: the connection registers with epoll while pinned, and the registration's own readiness
     * report spends the poller's one-shot hand-off to a poll task that cannot run. The monitor must
     * then poll for it (it once settled that hand-off against the poll task's previous poll and
     * stopped, leaving the body unread for the 30 s body deadline); a few rounds give the race a
     * chance.
     */
    @ParameterizedTest(name = "defer-accept {0}s")
    @ValueSource(strings = {"0", "1"})
    void aBodyArrivingWhileTheReaderIsPinnedToTheOnlyCarrierWakesIt(String deferSeconds) throws Exception {
        try (var child = new ChildJvm(ONE_CARRIER, OneCarrierServer.class, "epoll", deferSeconds)) {
            int port = Integer.parseInt(child.awaitLine("PORT", 30));
            for (int round = 0; round < 5; round++) {
                try (var client = new RawClient(port)) {
                    long start = System.nanoTime();
                    client.send("POST /pinned-body HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\n");
                    Thread.sleep(100);
                    client.send("hello");
                    assertThat(client.read().text()).as("round %d", round).isEqualTo("body=5");
                    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
                }
            }
        }
    }
}
