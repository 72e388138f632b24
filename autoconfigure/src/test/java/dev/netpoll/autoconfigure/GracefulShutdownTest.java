package dev.netpoll.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.GracefulShutdownResult;
import org.springframework.boot.web.server.Shutdown;
import org.springframework.boot.web.server.WebServer;

/** Graceful shutdown reports how it ended, also when Spring's shutdown phase cuts it short. */
class GracefulShutdownTest {

    @Test
    void whenStopEndsAGracefulShutdownWhileARequestIsBlockedTheCallbackReportsRequestsActive() throws Exception {
        var factory = new NetpollServletWebServerFactory(0);
        factory.setShutdown(Shutdown.GRACEFUL);
        var entered = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        WebServer server = factory.getWebServer(context -> context.addServlet("blocking", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws java.io.IOException {
                entered.countDown();
                // Deaf to the interrupt that stop() sends: a servlet stuck in a library call.
                boolean interrupted = false;
                while (release.getCount() > 0) {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
                response.getWriter().write("late");
            }
        }).addMapping("/"));
        server.start();
        try (var client = new Socket(InetAddress.getLoopbackAddress(), server.getPort())) {
            OutputStream out = client.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
            var result = new AtomicReference<GracefulShutdownResult>();
            server.shutDownGracefully(result::set);
            CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::stop);
            stopping.get(15, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(5)).until(() -> result.get() != null);
            assertThat(result.get()).isEqualTo(GracefulShutdownResult.REQUESTS_ACTIVE);
        } finally {
            release.countDown();
            server.destroy();
        }
    }
}
