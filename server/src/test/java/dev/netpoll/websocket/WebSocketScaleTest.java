package dev.netpoll.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.netpoll.http.ChildJvm;
import jakarta.websocket.Session;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Many sessions, few threads: ten thousand idle sessions are ten thousand parked tasks on a
 * handful of OS threads, and a broadcast reaches a thousand sessions whole and in order.
 */
class WebSocketScaleTest {

    static WebSocketSettings manySessions() {
        return new WebSocketSettings(64 * 1024, 64 * 1024, Duration.ZERO, 20_000, Duration.ofSeconds(30),
                Duration.ofSeconds(5));
    }

    @Test
    @Timeout(300)
    void tenThousandIdleSessionsOnAHandfulOfOsThreads() throws Exception {
        int count = 10_000;
        var threads = ManagementFactory.getThreadMXBean();
        try (var server = WebSocketServer.start("epoll", manySessions())) {
            // Warm up: carriers and the JVM's service threads start on first use.
            try (RawClient warm = RawClient.connect(server.port(), "/echo")) {
                warm.send(RawClient.text("w"));
                warm.read();
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> server.container.sessionCount() == 0);
            int threadsBefore = threads.getThreadCount();
            long heapBefore = heapAfterGc();
            long rssBefore = rssKb();
            long directBefore = directBytes();
            try (var clients = new ChildJvm(List.of("-Xss256k"), IdleSessionClients.class,
                    Integer.toString(server.port()), Integer.toString(count), "/echo")) {
                assertThat(clients.awaitLine("OPEN", 240)).isEqualTo(Integer.toString(count));
                await().atMost(Duration.ofSeconds(30)).until(() -> server.container.sessionCount() == count);
                long heapWith = heapAfterGc();
                long rssWith = rssKb();
                int threadsAtPeak = threads.getThreadCount();
                System.out.printf("%d idle WebSocket sessions: heap +%d bytes each, RSS +%d bytes each;"
                                + " goroutines %d; OS threads %d before, %d at peak%n",
                        count, (heapWith - heapBefore) / count, (rssWith - rssBefore) * 1024 / count,
                        server.server.stats().goroutines(), threadsBefore, threadsAtPeak);
                assertThat(server.server.stats().goroutines()).isGreaterThanOrEqualTo(count);
                // Parked between messages, a session holds no pooled buffer.
                await().atMost(Duration.ofSeconds(5)).until(() -> server.server.buffersLent() == 0);
                // Carriers may grow up to the core count; nothing grows per session.
                assertThat(threadsAtPeak - threadsBefore).isLessThanOrEqualTo(Runtime.getRuntime().availableProcessors() + 2);
                command(clients, "echo");
                // The first awaitLine left a task draining the output into output().
                await().atMost(Duration.ofSeconds(120)).until(() -> clients.output().contains("ECHOED"));
                assertThat(clients.output()).doesNotContain("FAILED");
                // Idle again after one message each: what traffic left behind per session.
                await().atMost(Duration.ofSeconds(5)).until(() -> server.server.buffersLent() == 0);
                long heapAfterEcho = heapAfterGc();
                long rssAfterEcho = rssKb();
                long directAfterEcho = directBytes();
                System.out.printf("after one echo each: heap +%d bytes each, RSS +%d bytes each, direct +%d bytes each%n",
                        (heapAfterEcho - heapBefore) / count, (rssAfterEcho - rssBefore) * 1024 / count,
                        (directAfterEcho - directBefore) / count);
                // No native scratch buffer stays with a session that has sent a frame (it was 16 KiB).
                assertThat((directAfterEcho - directBefore) / count).isLessThan(1024);
                // Tyrus keeps the last read buffer of a session; a small message costs little.
                assertThat((heapAfterEcho - heapBefore) / count).isLessThan(16 * 1024);
                command(clients, "close");
                await().atMost(Duration.ofSeconds(60)).until(() -> clients.output().contains("CLOSED"));
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> server.container.sessionCount() == 0);
        }
    }

    @Test
    @Timeout(120)
    void broadcastOfAHundredMessagesReachesAThousandSessionsInOrder() throws Exception {
        int count = 1000;
        int messages = 100;
        WebSocketServer.Audience.SESSIONS.clear();
        try (var server = WebSocketServer.start("epoll", manySessions())) {
            List<RawClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < count; i++) {
                    clients.add(RawClient.connect(server.port(), "/audience"));
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> WebSocketServer.Audience.SESSIONS.size() == count);
                for (int m = 0; m < messages; m++) {
                    for (Session session : WebSocketServer.Audience.SESSIONS) {
                        session.getBasicRemote().sendText("message " + m);
                    }
                }
                for (RawClient client : clients) {
                    for (int m = 0; m < messages; m++) {
                        RawClient.Frame frame = client.read();
                        assertThat(frame.opcode()).isEqualTo(RawClient.TEXT);
                        assertThat(new String(frame.payload(), StandardCharsets.UTF_8)).isEqualTo("message " + m);
                    }
                }
            } finally {
                for (RawClient client : clients) {
                    client.close();
                }
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> server.container.sessionCount() == 0);
        }
    }

    private static void command(ChildJvm child, String command) throws Exception {
        child.process.getOutputStream().write((command + "\n").getBytes(StandardCharsets.US_ASCII));
        child.process.getOutputStream().flush();
    }

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long directBytes() {
        for (var pool : ManagementFactory.getPlatformMXBeans(java.lang.management.BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                return pool.getMemoryUsed();
            }
        }
        throw new AssertionError("no direct buffer pool bean");
    }

    private static long rssKb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }
}
