package dev.netpoll.http2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netpoll.http.HttpConfig;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * With h2c on, a cleartext connection first waits to see whether the client speaks HTTP/2: an
 * idle one must still end after one idle timeout, not one for the preface and another for HTTP/1.1.
 */
@Timeout(30)
class CleartextIdleTest {

    private H2TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void anIdleCleartextConnectionEndsAfterOneIdleTimeout() throws Exception {
        var http = HttpConfig.DEFAULTS.toBuilder().idleTimeout(Duration.ofMillis(1000)).build();
        server = new H2TestServer("epoll", http, Http2Config.DEFAULTS, null, (request, response) -> { });
        try (var socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.setSoTimeout(10_000);
            long start = System.nanoTime();
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
            long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
            // One timeout is 1000 ms; two would be 2000 ms. The margin allows for a loaded machine.
            assertThat(elapsedMillis).isBetween(900L, 1700L);
        }
    }
}
