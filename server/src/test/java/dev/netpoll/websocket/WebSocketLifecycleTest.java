package dev.netpoll.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * What a session's owner sees over its life: the idle timeout and the session limit, graceful
 * shutdown closing with 1001 after the frames already being sent, the runtime listing, and a
 * client killed mid-frame leaving no task, descriptor or session behind.
 */
class WebSocketLifecycleTest {

    String transport() {
        return "epoll";
    }

    static WebSocketSettings settings(Duration idle, int maxSessions) {
        return new WebSocketSettings(1024, 1024, idle, maxSessions, Duration.ofSeconds(10), Duration.ofSeconds(2));
    }

    @Test
    void idleSessionIsClosedWithGoingAway() throws Exception {
        try (var server = WebSocketServer.start(transport(), settings(Duration.ofMillis(300), 100));
                RawClient client = RawClient.connect(server.port(), "/echo")) {
            // Traffic keeps it open past the timeout...
            for (int i = 0; i < 4; i++) {
                Thread.sleep(150);
                client.send(RawClient.text("ping " + i));
                assertThat(client.read().text()).isEqualTo("ping " + i);
            }
            // ...silence closes it.
            long start = System.nanoTime();
            RawClient.Frame close = client.readClose();
            assertThat(close.closeCode()).isEqualTo(1001);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(200), Duration.ofSeconds(5));
            client.send(RawClient.close(1001, ""));
            assertThat(client.serverClosedConnection()).isTrue();
        }
    }

    @Test
    void handshakeBeyondTheSessionLimitIsRefusedWith503() throws Exception {
        try (var server = WebSocketServer.start(transport(), settings(Duration.ZERO, 2));
                RawClient first = RawClient.connect(server.port(), "/echo");
                RawClient second = RawClient.connect(server.port(), "/echo")) {
            assertThat(second.handshakeResponse).startsWith("HTTP/1.1 101");
            await().atMost(Duration.ofSeconds(5)).until(() -> server.container.sessionCount() == 2);
            try (RawClient third = RawClient.connect(server.port(), "/echo")) {
                assertThat(third.handshakeResponse).startsWith("HTTP/1.1 503");
            }
            first.send(RawClient.close(1000, ""));
            first.readClose();
            await().atMost(Duration.ofSeconds(5)).until(() -> server.container.sessionCount() == 1);
            try (RawClient again = RawClient.connect(server.port(), "/echo")) {
                assertThat(again.handshakeResponse).startsWith("HTTP/1.1 101");
            }
        }
    }

    @Test
    void gracefulShutdownClosesWithGoingAwayAfterTheMessagesInFlight() throws Exception {
        try (var server = WebSocketServer.start(transport(), settings(Duration.ZERO, 100));
                RawClient flooded = RawClient.connect(server.port(), "/flood");
                RawClient quiet = RawClient.connect(server.port(), "/echo")) {
            flooded.send(RawClient.text("100000"));
            assertThat(flooded.read().text()).isEqualTo("0");
            var drained = CompletableFuture.supplyAsync(() -> server.server.shutdownGracefully(Duration.ofSeconds(20)));
            // Every frame before the close is whole and in order: the close waited for the send in progress.
            int expected = 1;
            RawClient.Frame frame;
            while ((frame = flooded.read()).opcode() != RawClient.CLOSE) {
                assertThat(frame.text()).isEqualTo(Integer.toString(expected++));
            }
            assertThat(frame.closeCode()).isEqualTo(1001);
            assertThat(quiet.readClose().closeCode()).isEqualTo(1001);
            flooded.send(RawClient.close(1001, ""));
            quiet.send(RawClient.close(1001, ""));
            assertThat(drained.get()).isTrue();
            assertThat(server.container.sessionCount()).isZero();
        }
    }

    @Test
    void noFrameFollowsOurCloseFrameWhileAnApplicationThreadKeepsSending() throws Exception {
        // RFC 6455 section 5.5.1: after sending a Close frame an endpoint sends no more data
        // frames. A thread that passed Tyrus' open-state check just before the close could still
        // write its frame after ours; the race is narrow, so it is tried many times.
        try (var server = WebSocketServer.start(transport(), settings(Duration.ZERO, 100))) {
            for (int attempt = 0; attempt < 30; attempt++) {
                try (RawClient flooded = RawClient.connect(server.port(), "/flood")) {
                    flooded.send(RawClient.text("1000000"));
                    assertThat(flooded.read().text()).isEqualTo("0");
                    flooded.send(RawClient.close(1000, ""));
                    RawClient.Frame frame;
                    while ((frame = flooded.read()).opcode() != RawClient.CLOSE) {
                        assertThat(frame.opcode()).isEqualTo(RawClient.TEXT);
                    }
                    assertThat(frame.closeCode()).isEqualTo(1000);
                    assertThat(flooded.serverClosedConnection()).as("attempt %d: nothing after the close frame", attempt)
                            .isTrue();
                }
            }
        }
    }

    @Test
    void sendsFromManyThreadsAreWholeFramesInEachThreadsOrder() throws Exception {
        WebSocketServer.Audience.SESSIONS.clear();
        int threads = 8;
        int messages = 500;
        try (var server = WebSocketServer.start(transport(), settings(Duration.ZERO, 100));
                RawClient client = RawClient.connect(server.port(), "/audience")) {
            await().atMost(Duration.ofSeconds(5)).until(() -> WebSocketServer.Audience.SESSIONS.size() == 1);
            jakarta.websocket.Session session = WebSocketServer.Audience.SESSIONS.iterator().next();
            List<Thread> senders = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int sender = t;
                senders.add(Thread.ofPlatform().start(() -> {
                    for (int m = 0; m < messages; m++) {
                        try {
                            session.getBasicRemote().sendText(sender + ":" + m + ":" + "x".repeat(m % 300));
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }
                }));
            }
            int[] next = new int[threads];
            for (int i = 0; i < threads * messages; i++) {
                String[] parts = client.read().text().split(":", -1);
                int sender = Integer.parseInt(parts[0]);
                assertThat(Integer.parseInt(parts[1])).isEqualTo(next[sender]++);
                assertThat(parts[2]).hasSize(Integer.parseInt(parts[1]) % 300);
            }
            for (Thread t : senders) {
                t.join();
            }
        }
    }

    @Test
    void sessionsAreListedWithTheirPathAndAge() throws Exception {
        try (var server = WebSocketServer.start(transport(), settings(Duration.ZERO, 100));
                RawClient client = RawClient.connect(server.port(), "/echo")) {
            await().atMost(Duration.ofSeconds(5)).until(() -> server.container.sessionCount() == 1);
            WebSocketSession session = server.container.sessions().get(0);
            assertThat(session.path()).isEqualTo("/echo");
            assertThat(session.openedAtMillis()).isBetween(System.currentTimeMillis() - 10_000, System.currentTimeMillis());
            assertThat(server.server.connections()).anySatisfy(c -> assertThat(c.activity()).startsWith("websocket /echo"));
        }
    }

    @Test
    void clientsKilledMidFrameLeaveNoTaskDescriptorOrSession() throws Exception {
        try (var server = WebSocketServer.start(transport(), settings(Duration.ZERO, 100))) {
            // Warm up, so that lazily made objects (pools, class loading) are in the baseline.
            try (RawClient warm = RawClient.connect(server.port(), "/echo")) {
                warm.send(RawClient.text("w"));
                warm.read();
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> server.container.sessionCount() == 0);
            long goroutines = server.server.stats().goroutines();
            int descriptors = openDescriptors();
            List<RawClient> clients = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                RawClient client = RawClient.connect(server.port(), "/echo");
                byte[] frame = RawClient.text("a message that never ends");
                client.send(java.util.Arrays.copyOf(frame, frame.length / 2));
                clients.add(client);
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> server.container.sessionCount() == 50);
            assertThat(server.server.stats().goroutines()).isGreaterThanOrEqualTo(goroutines + 50);
            // Half a frame is Tyrus' to keep; the read buffer went back to the pool.
            await().atMost(Duration.ofSeconds(5)).until(() -> server.server.buffersLent() == 0);
            for (RawClient client : clients) {
                Socket socket = client.socket;
                socket.setSoLinger(true, 0); // reset, as a killed process's kernel would
                socket.close();
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> server.container.sessionCount() == 0
                    && server.server.stats().goroutines() <= goroutines && openDescriptors() <= descriptors
                    && server.server.buffersLent() == 0);
        }
    }

    static int openDescriptors() {
        return Objects.requireNonNull(new File("/proc/self/fd").list()).length;
    }
}
