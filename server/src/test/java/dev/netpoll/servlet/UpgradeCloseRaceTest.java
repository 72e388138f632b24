package dev.netpoll.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.servlet.http.WebConnection;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A blocking upgrade handler reads on a thread of its own while a third thread closes the
 * {@link WebConnection}: the connection's task then ends and gives its buffers back, and must not
 * do so while the reader is still copying out of one (a buffer released twice, or borrowed after
 * the last release and never returned).
 */
class UpgradeCloseRaceTest {

    static ServletServer server;
    /** What a reader thread hit other than the end of the connection. */
    static final Queue<Throwable> FAILURES = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void start() throws Exception {
        var context = new NetpollServletContext("", UpgradeCloseRaceTest.class.getClassLoader());
        context.addServlet("upgrade", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                response.setHeader("Upgrade", "sink");
                try {
                    request.upgrade(ClosedElsewhere.class);
                } catch (jakarta.servlet.ServletException e) {
                    throw new IOException(e);
                }
            }
        }).addMapping("/sink");
        server = ServletServer.serve(context);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Reads everything on one thread; another closes the connection after a few milliseconds. */
    public static final class ClosedElsewhere implements HttpUpgradeHandler {

        @Override
        public void init(WebConnection connection) {
            Thread.ofVirtual().start(() -> {
                try {
                    InputStream in = connection.getInputStream();
                    byte[] buffer = new byte[1000];
                    while (in.read(buffer) >= 0) {
                        // discard
                    }
                } catch (IOException e) {
                    // closed: expected
                } catch (Throwable t) {
                    FAILURES.add(t);
                }
            });
            Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextInt(1, 4));
                    connection.close();
                } catch (Exception e) {
                    FAILURES.add(e);
                }
            });
        }

        @Override
        public void destroy() {
        }
    }

    @Test
    void closingFromAnotherThreadWhileTheHandlerReadsLosesNoBuffer() throws Exception {
        byte[] chunk = new byte[4096];
        for (int round = 0; round < 150; round++) {
            try (var socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
                socket.setSoTimeout(10_000);
                var out = socket.getOutputStream();
                out.write("GET /sink HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: sink\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                try {
                    for (int i = 0; i < 2000; i++) {
                        out.write(chunk);
                    }
                } catch (IOException e) {
                    // the server closed: expected
                }
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> server.buffersLent() == 0);
        assertThat(FAILURES).isEmpty();
    }
}
