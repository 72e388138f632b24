package dev.netpoll.http2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netpoll.http.HttpConfig;
import dev.netpoll.servlet.NetpollServletContext;
import dev.netpoll.servlet.ServletHandler;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code HttpServletResponse.setTrailerFields} over both protocols (gRPC's status travels this
 * way): a trailing HEADERS with END_STREAM on HTTP/2, the trailer section of a chunked body on
 * HTTP/1.1, asked of the supplier only after the body was written.
 */
@Timeout(30)
class ResponseTrailersTest {

    private H2TestServer server;

    @BeforeEach
    void start() throws Exception {
        var context = new NetpollServletContext("", ResponseTrailersTest.class.getClassLoader());
        context.addServlet("trailers", new HttpServlet() {
            @Override
            protected void service(HttpServletRequest q, HttpServletResponse s) throws IOException {
                int[] written = new int[1];
                try {
                    s.setTrailerFields(() -> {
                        Map<String, String> fields = new LinkedHashMap<>();
                        fields.put("grpc-status", "0");
                        fields.put("x-written", Integer.toString(written[0]));
                        fields.put("Content-Length", "99"); // framing: never sent as a trailer
                        return fields;
                    });
                } catch (IllegalStateException e) {
                    s.getOutputStream().print("refused: " + e.getMessage());
                    return;
                }
                if (q.getParameter("length") != null) {
                    s.setContentLength(5);
                }
                s.getOutputStream().print("hello");
                written[0] = 5;
            }
        }).addMapping("/*");
        context.start();
        server = new H2TestServer("epoll", HttpConfig.DEFAULTS, Http2Config.DEFAULTS, null, new ServletHandler(context));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void http2TrailersFollowTheDataAndEndTheStream() throws Exception {
        try (var client = new RawH2Client(server.port()).handshake()) {
            client.get(1, "/t");
            var response = client.response(1); // returns at the first frame with END_STREAM
            assertThat(response.status()).isEqualTo("200");
            assertThat(new String(response.body(), StandardCharsets.US_ASCII)).isEqualTo("hello");
            assertThat(response.fields()).endsWith("grpc-status: 0", "x-written: 5")
                    .doesNotContain("content-length: 99");
        }
    }

    @Test
    void http2TrailersFollowADeclaredLengthBody() throws Exception {
        try (var client = new RawH2Client(server.port()).handshake()) {
            client.get(1, "/t?length=1");
            var response = client.response(1);
            assertThat(new String(response.body(), StandardCharsets.US_ASCII)).isEqualTo("hello");
            assertThat(response.fields()).contains("content-length: 5").endsWith("grpc-status: 0", "x-written: 5");
        }
    }

    @Test
    void http11TrailersEndAChunkedBodyEvenWithADeclaredLength() throws Exception {
        String response = exchange("GET /t?length=1 HTTP/1.1\r\nHost: x\r\nTE: trailers\r\nConnection: close\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 200").contains("Transfer-Encoding: chunked\r\n")
                .doesNotContain("Content-Length")
                .endsWith("\r\n\r\n5\r\nhello\r\n0\r\ngrpc-status: 0\r\nx-written: 5\r\n\r\n");
    }

    @Test
    void http10CannotCarryTrailers() throws Exception {
        String response = exchange("GET /t HTTP/1.0\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 200").endsWith("refused: this request's protocol cannot carry trailer fields"
                + " (HTTP/1.0 cannot)");
    }

    private String exchange(String request) throws IOException {
        try (var socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        }
    }
}
