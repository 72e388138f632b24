package dev.netpoll.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What an idle session costs after it has carried traffic, not only before: native memory (the
 * socket's scratch buffers) must not stay with a session that has sent one frame.
 */
class WebSocketIdleMemoryTest {

    static final int SESSIONS = 300;

    @Test
    void sessionsThatHaveSentAFrameHoldNoNativeMemoryWhenIdle() throws Exception {
        try (var server = WebSocketServer.start("epoll", WebSocketServer.smallLimits())) {
            // The first round warms the pools: what they keep is bounded and shared, not per session.
            round(server);
            long before = directBytes();
            List<RawClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < SESSIONS; i++) {
                    RawClient client = RawClient.connect(server.port(), "/echo");
                    clients.add(client);
                    client.send(RawClient.text("hello " + i));
                    assertThat(client.read().text()).isEqualTo("hello " + i);
                }
                await().atMost(Duration.ofSeconds(5)).until(() -> server.server.buffersLent() == 0);
                long perSession = (directBytes() - before) / SESSIONS;
                System.out.printf("idle WebSocket session after one echo: %d native bytes each%n", perSession);
                assertThat(perSession).as("native bytes per idle session after one echo").isLessThan(2048);
            } finally {
                for (RawClient client : clients) {
                    client.close();
                }
            }
        }
    }

    private static void round(WebSocketServer server) throws Exception {
        List<RawClient> clients = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            RawClient client = RawClient.connect(server.port(), "/echo");
            clients.add(client);
            client.send(RawClient.text("warm"));
            client.read();
        }
        for (RawClient client : clients) {
            client.close();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> server.container.sessionCount() == 0);
    }

    /** Direct buffer bytes in use: NativeBuffer and every other allocateDirect. */
    private static long directBytes() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                return pool.getMemoryUsed();
            }
        }
        throw new AssertionError("no direct buffer pool bean");
    }
}
