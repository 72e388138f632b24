package dev.netpoll.http2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netpoll.http.HttpConfig;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A graceful shutdown that reaches an HTTP/2 session before it has started (an h2c Upgrade
 * answered during shutdown): our SETTINGS still comes first (section 3.4), and the request that
 * asked for the upgrade, already stream 1, is still answered before the connection ends.
 */
@Timeout(30)
class GracefulUpgradeTest {

    private H2TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void anUpgradeAnsweredDuringShutdownServesStreamOneAfterOurSettings() throws Exception {
        var http = HttpConfig.DEFAULTS.toBuilder().shutdownQuietPeriod(Duration.ofSeconds(10)).build();
        server = new H2TestServer("epoll", http, Http2Config.DEFAULTS, null,
                (request, response) -> response.body().write("up".getBytes(StandardCharsets.US_ASCII)));
        try (var socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.setSoTimeout(10_000);
            Thread.sleep(200); // the connection is the server's, waiting for its first request
            Thread shutdown = Thread.ofVirtual().start(() -> server.server.shutdownGracefully(Duration.ofSeconds(10)));
            while (!server.server.isShuttingDown()) {
                Thread.sleep(1);
            }
            socket.getOutputStream().write(("GET /up HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\n"
                    + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABk\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(head(socket.getInputStream())).startsWith("HTTP/1.1 101");
            var client = new RawH2Client(socket);
            client.raw(Frame.PREFACE);
            client.settings();

            List<RawH2Client.Received> frames = new ArrayList<>();
            for (var f = client.read(); f != null; f = client.read()) {
                frames.add(f);
            }
            assertThat(frames).isNotEmpty();
            assertThat(frames.getFirst().type()).isEqualTo(Frame.SETTINGS);
            assertThat(frames).anySatisfy(f -> {
                assertThat(f.type()).isEqualTo(Frame.GOAWAY);
                assertThat(f.lastStreamId()).isEqualTo(1);
            });
            var body = new ByteArrayOutputStream();
            frames.stream().filter(f -> f.stream() == 1 && f.type() == Frame.DATA).forEach(f -> body.writeBytes(f.payload()));
            assertThat(body.toString(StandardCharsets.US_ASCII)).isEqualTo("up");
            assertThat(frames).anyMatch(f -> f.stream() == 1 && f.has(Frame.FLAG_END_STREAM));
            shutdown.join();
        }
    }

    private static String head(InputStream in) throws Exception {
        var head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }
}
