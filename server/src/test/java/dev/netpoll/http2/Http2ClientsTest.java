package dev.netpoll.http2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netpoll.http.HttpHandler;
import dev.netpoll.tls.ExternalTool;
import dev.netpoll.tls.TestCertificates;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real HTTP/2 clients against the server: curl with prior knowledge and over TLS (ALPN h2, and
 * http/1.1 for a client that asks for it on the same port), the JDK HttpClient over TLS and by
 * {@code Upgrade: h2c}, and nghttp with several streams on one connection.
 */
class Http2ClientsTest {

    @TempDir
    static Path dir;
    static Path keyStore;
    static Path pem;

    @BeforeAll
    static void certificates() throws Exception {
        keyStore = TestCertificates.keyStore(dir, "server", "EC", "localhost");
        pem = TestCertificates.exportPem(keyStore, "server", dir.resolve("server.pem"));
    }

    String transport() {
        return "epoll";
    }

    /** Answers with the protocol, method, target, body length and whether the request came over TLS. */
    static HttpHandler echo() {
        return (request, response) -> {
            byte[] body = request.body().readAllBytes();
            response.header("Content-Type", "text/plain");
            response.header("X-Request-Host", request.header("Host"));
            String text = request.version() + " " + request.method() + " " + request.target() + " body=" + body.length
                    + (request.isSecure() ? " secure" : "");
            response.body().write(text.getBytes(StandardCharsets.UTF_8));
        };
    }

    private H2TestServer server(boolean tls) throws Exception {
        return new H2TestServer(transport(), dev.netpoll.http.HttpConfig.DEFAULTS, Http2Config.DEFAULTS,
                tls ? keyStore : null, echo());
    }

    @Test
    @Timeout(60)
    void curlWithPriorKnowledgeSpeaksH2cAndPostsABody() throws Exception {
        ExternalTool.require("curl");
        try (var server = server(false)) {
            var run = ExternalTool.run(List.of("curl", "-sS", "--http2-prior-knowledge", "-d", "hello",
                    "-w", "\n%{http_version}", "http://127.0.0.1:" + server.port() + "/a/b?x=1"), "");
            assertThat(run.output()).isEqualTo("HTTP/2.0 POST /a/b?x=1 body=5\n2");
        }
    }

    @Test
    @Timeout(60)
    void curlOverTlsNegotiatesH2ByAlpnAndHttp11StillWorksOnTheSamePort() throws Exception {
        ExternalTool.require("curl");
        try (var server = server(true)) {
            String url = "https://localhost:" + server.port() + "/tls";
            var h2 = ExternalTool.run(List.of("curl", "-sS", "--http2", "--cacert", pem.toString(), "-w",
                    "\n%{http_version}", url), "");
            assertThat(h2.output()).isEqualTo("HTTP/2.0 GET /tls body=0 secure\n2");
            var h1 = ExternalTool.run(List.of("curl", "-sS", "--http1.1", "--cacert", pem.toString(), "-w",
                    "\n%{http_version}", url), "");
            assertThat(h1.output()).isEqualTo("HTTP/1.1 GET /tls body=0 secure\n1.1");
        }
    }

    @Test
    @Timeout(60)
    void plainHttp11ClientsAreUnaffectedWhenH2cIsOn() throws Exception {
        ExternalTool.require("curl");
        try (var server = server(false)) {
            var run = ExternalTool.run(List.of("curl", "-sS", "--http1.1", "-w", "\n%{http_version}",
                    "http://127.0.0.1:" + server.port() + "/one", "http://127.0.0.1:" + server.port() + "/two"), "");
            assertThat(run.output()).isEqualTo("HTTP/1.1 GET /one body=0\n1.1HTTP/1.1 GET /two body=0\n1.1");
        }
    }

    @Test
    @Timeout(60)
    void jdkHttpClientGetsH2OverTls() throws Exception {
        try (var server = server(true);
                var client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                        .sslContext(TestCertificates.clientContext(keyStore, null)).build()) {
            var response = client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + "/jdk"))
                    .POST(HttpRequest.BodyPublishers.ofString("0123456789")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(response.body()).isEqualTo("HTTP/2.0 POST /jdk body=10 secure");
            assertThat(response.headers().firstValue("x-request-host")).hasValue("localhost:" + server.port());
        }
    }

    @Test
    @Timeout(60)
    void jdkHttpClientUpgradesToH2cAndKeepsUsingIt() throws Exception {
        try (var server = server(false);
                var client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build()) {
            String base = "http://127.0.0.1:" + server.port();
            var first = client.send(HttpRequest.newBuilder(URI.create(base + "/up")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(first.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(first.body()).isEqualTo("HTTP/2.0 GET /up body=0");
            var second = client.send(HttpRequest.newBuilder(URI.create(base + "/again"))
                    .POST(HttpRequest.BodyPublishers.ofString("abc")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(second.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(second.body()).isEqualTo("HTTP/2.0 POST /again body=3");
            assertThat(server.server.connectionsAccepted()).isEqualTo(1);
        }
    }

    @Test
    @Timeout(60)
    void nghttpFetchesSeveralStreamsOnOneConnection() throws Exception {
        ExternalTool.require("nghttp");
        try (var server = server(false)) {
            String base = "http://127.0.0.1:" + server.port();
            var run = ExternalTool.run(List.of("nghttp", "-n", "-s", base + "/1", base + "/2", base + "/3"), "");
            assertThat(run.exitCode()).as(run.output()).isZero();
            assertThat(run.output()).contains("/1").contains("/2").contains("/3");
            assertThat(server.server.connectionsAccepted()).isEqualTo(1);
            assertThat(server.protocol.streamsTotal()).isEqualTo(3);
            var verbose = ExternalTool.run(List.of("nghttp", "-v", base + "/v"), "");
            assertThat(verbose.output()).contains("HTTP/2.0 GET /v body=0").contains("recv SETTINGS frame")
                    .contains(":status: 200");
        }
    }
}
