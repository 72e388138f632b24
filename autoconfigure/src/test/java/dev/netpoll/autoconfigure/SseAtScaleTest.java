package dev.netpoll.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;

/** A thousand server-sent-event subscribers, each a parked task, all receiving every event in order. */
@DirtiesContext
@SpringBootTest(classes = SampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@Import(AsyncEndpoints.class)
class SseAtScaleTest {

    private static final int SUBSCRIBERS = 1000;
    private static final int EVENTS = 50;

    @LocalServerPort
    int port;

    @Autowired
    AsyncEndpoints endpoints;

    @Autowired
    WebServerApplicationContext context;

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long rssKb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    @Test
    void thousandSubscribersReceiveEveryEventInOrder() throws Exception {
        var engine = ((NetpollWebServer) context.getWebServer()).getHttpServer();
        long heapBefore = heapAfterGc();
        long rssBefore = rssKb();
        byte[] request = "GET /async/broadcast HTTP/1.1\r\nHost: t\r\nAccept: text/event-stream\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        List<SocketChannel> clients = new ArrayList<>();
        for (int i = 0; i < SUBSCRIBERS; i++) {
            var channel = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            channel.write(ByteBuffer.wrap(request));
            clients.add(channel);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> endpoints.subscribers.size() == SUBSCRIBERS);
        long heapWith = heapAfterGc();
        long rssWith = rssKb();
        System.out.printf("%d idle SSE subscribers: heap +%d bytes each, RSS +%d bytes each; goroutines %d%n",
                SUBSCRIBERS, (heapWith - heapBefore) / SUBSCRIBERS, (rssWith - rssBefore) * 1024 / SUBSCRIBERS,
                engine.stats().goroutines());
        assertThat(engine.stats().goroutines()).isGreaterThanOrEqualTo(SUBSCRIBERS);

        for (int e = 0; e < EVENTS; e++) {
            endpoints.broadcast("event " + e);
        }
        endpoints.completeAll();

        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        for (SocketChannel channel : clients) {
            var text = new StringBuilder();
            buffer.clear();
            while (channel.read(buffer) >= 0 && !text.toString().endsWith("0\r\n\r\n")) {
                text.append(new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8));
                buffer.clear();
            }
            channel.close();
            List<Integer> received = new ArrayList<>();
            for (String line : text.toString().split("\n")) {
                if (line.startsWith("data:event ")) {
                    received.add(Integer.parseInt(line.substring(11).trim()));
                }
            }
            assertThat(received).hasSize(EVENTS).isSorted();
            assertThat(received.get(0)).isZero();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> engine.requestsInFlight() == 0);
    }
}
