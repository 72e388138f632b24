package dev.netpoll.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netpoll.tls.TlsContext;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A thousand TLS keep-alive connections open at once through Spring MVC, each served twice; while
 * they all wait between requests, none holds a TLS record buffer.
 */
@DirtiesContext
@SpringBootTest(classes = SampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class TlsAtScaleTest {

    private static final int CONNECTIONS = 1000;
    private static Path keyStore;
    private long heapBefore;

    @LocalServerPort
    int port;

    @Autowired
    WebServerApplicationContext context;

    @Autowired
    io.micrometer.core.instrument.MeterRegistry registry;

    @DynamicPropertySource
    static void tls(DynamicPropertyRegistry registry) throws Exception {
        Path dir = Files.createTempDirectory("netpoll-tls-scale");
        keyStore = TestPki.keyStore(dir, "server", "EC", "localhost");
        registry.add("server.ssl.key-store", () -> "file:" + keyStore);
        registry.add("server.ssl.key-store-password", () -> TestPki.PASSWORD);
    }

    @Test
    @Timeout(180)
    void thousandConcurrentTlsKeepAliveConnectionsAreServedAndHoldNoRecordBufferWhileIdle() throws Exception {
        var engine = ((NetpollWebServer) context.getWebServer()).getHttpServer();
        SSLContext client = TestPki.client(keyStore, null);
        heapBefore = heapAfterGc();
        var firstDone = new CountDownLatch(CONNECTIONS);
        var secondGo = new CountDownLatch(1);
        List<Future<String>> results = new ArrayList<>();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < CONNECTIONS; i++) {
                results.add(executor.submit(() -> {
                    try (var socket = (SSLSocket) client.getSocketFactory().createSocket("localhost", port)) {
                        socket.setSoTimeout(60_000);
                        OutputStream out = socket.getOutputStream();
                        InputStream in = new BufferedInputStream(socket.getInputStream());
                        byte[] request = "GET /hello HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
                        out.write(request);
                        String first = readResponse(in);
                        firstDone.countDown();
                        secondGo.await();
                        out.write(request);
                        return first + "|" + readResponse(in);
                    } finally {
                        firstDone.countDown(); // no effect after the first; frees the test if this failed early
                    }
                }));
            }
            try {
                idleCheck(engine, firstDone);
            } finally {
                secondGo.countDown(); // a failed check must not leave the clients waiting for ever
            }
            for (Future<String> result : results) {
                assertThat(result.get(60, TimeUnit.SECONDS)).isEqualTo("200 {\"message\":\"hello\"}|200 {\"message\":\"hello\"}");
            }
        }
        assertThat(engine.connectionsAccepted()).isEqualTo(CONNECTIONS);
        assertThat(registry.get("netpoll.tls.handshakes").tag("server", "main").tag("result", "success")
                .functionCounter().count()).isEqualTo(CONNECTIONS);
        assertThat(registry.get("netpoll.tls.handshakes").tag("result", "timeout").functionCounter().count()).isZero();
    }

    /** Every connection served once and now idle: all open, no record buffer held. */
    private void idleCheck(dev.netpoll.http.HttpServer engine, CountDownLatch firstDone) throws Exception {
        TlsContext tls = engine.tls();
        assertThat(firstDone.await(120, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(300); // every task back waiting for its next request
        int open = engine.connectionsActive();
        int lent = tls.recordBuffersLent();
        // Client and server share this heap: the figure is an upper bound for the server side.
        long heapEach = (heapAfterGc() - heapBefore) / CONNECTIONS;
        System.out.printf("%d idle TLS keep-alive connections: %d record buffers (%d bytes each) held,"
                + " heap +%d bytes per connection (client and server sides together), goroutines %d%n",
                open, lent, tls.recordBufferSize(), heapEach, engine.stats().goroutines());
        assertThat(open).isEqualTo(CONNECTIONS);
        assertThat(lent).isZero();
    }

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Status and body of one HTTP/1.1 response, framed by Content-Length or chunked. */
    private static String readResponse(InputStream in) throws IOException {
        String statusLine = line(in);
        long length = -1;
        boolean chunked = false;
        for (String header; !(header = line(in)).isEmpty(); ) {
            String lower = header.toLowerCase();
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(header.substring(15).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            }
        }
        var body = new ByteArrayOutputStream();
        if (chunked) {
            for (int size; (size = Integer.parseInt(line(in).trim(), 16)) > 0; ) {
                body.write(in.readNBytes(size));
                line(in);
            }
            line(in);
        } else {
            body.write(in.readNBytes((int) length));
        }
        return statusLine.split(" ")[1] + " " + body.toString(StandardCharsets.UTF_8);
    }

    private static String line(InputStream in) throws IOException {
        var line = new StringBuilder();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

}
