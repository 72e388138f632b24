package dev.netpoll.http2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netpoll.http.HttpConfig;
import dev.netpoll.servlet.NetpollServletContext;
import dev.netpoll.servlet.ServletHandler;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code HttpServletRequest.getTrailerFields} over both protocols: the trailing HEADERS of an
 * HTTP/2 stream and the trailer section of a chunked HTTP/1.1 body, ready once the body has been
 * read to its end.
 */
@Timeout(30)
class RequestTrailersTest {

    private H2TestServer server;

    @BeforeEach
    void start() throws Exception {
        var context = new NetpollServletContext("", RequestTrailersTest.class.getClassLoader());
        context.addServlet("trailers", new HttpServlet() {
            @Override
            protected void service(HttpServletRequest q, HttpServletResponse s) throws IOException {
                boolean before = q.isTrailerFieldsReady();
                int length = q.getInputStream().readAllBytes().length;
                s.getWriter().print(q.getProtocol() + " body=" + length + " before=" + before + " after="
                        + q.isTrailerFieldsReady() + " " + q.getTrailerFields());
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
    void trailersOfAnHttp2StreamReachTheServlet() throws Exception {
        try (var client = new RawH2Client(server.port()).handshake()) {
            client.headers(1, false, RawH2Client.request("POST", "/t"));
            client.data(1, false, "abc".getBytes(StandardCharsets.US_ASCII));
            client.headers(1, true, RawH2Client.block("x-checksum", "900150983cd24fb0", "x-checksum", "second"));
            var response = client.response(1);
            assertThat(new String(response.body(), StandardCharsets.US_ASCII))
                    .isEqualTo("HTTP/2.0 body=3 before=false after=true {x-checksum=900150983cd24fb0,second}");
        }
    }

    @Test
    void trailersWithoutEndStreamAreAStreamProtocolError() throws Exception {
        try (var client = new RawH2Client(server.port()).handshake()) {
            client.headers(1, false, RawH2Client.request("POST", "/t"));
            client.headers(1, false, RawH2Client.block("x-checksum", "1"));
            assertThat(client.expectReset(1)).isEqualTo(ErrorCode.PROTOCOL_ERROR);
        }
    }

    @Test
    void aRequestWithoutBodyHasItsEmptyTrailersReady() throws Exception {
        try (var client = new RawH2Client(server.port()).handshake()) {
            client.get(1, "/none");
            assertThat(new String(client.response(1).body(), StandardCharsets.US_ASCII))
                    .isEqualTo("HTTP/2.0 body=0 before=true after=true {}");
        }
    }

    @Test
    void trailersOfAChunkedHttp11BodyReachTheServlet() throws Exception {
        try (var socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /t HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                    + "3\r\nabc\r\n0\r\nX-Checksum: 42\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(response).startsWith("HTTP/1.1 200").endsWith("HTTP/1.1 body=3 before=false after=true {x-checksum=42}");
        }
    }
}
