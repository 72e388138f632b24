package dev.netpoll.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The sample Spring MVC application with {@code server.http2.enabled=true}: h2 negotiated by ALPN
 * on the TLS port and h2c on a plain one (by {@code Upgrade: h2c} from the JDK client, by prior
 * knowledge from curl), with JSON, validation and error pages, large bodies both ways, cookies,
 * async requests and SSE, multipart, gzip, the gauge and runtime view, the access log's protocol and many streams on one connection; and with the property off, a
 * client asking for HTTP/2 gets HTTP/1.1 as before.
 */
class Http2SpringMvcTest {

    @TempDir
    static Path dir;
    static Path store;

    @BeforeAll
    static void certificates() throws Exception {
        store = TestPki.keyStore(dir, "server", "EC", "localhost");
    }

    private static ConfigurableApplicationContext start(String... properties) {
        List<String> all = new ArrayList<>(List.of("server.port=0", "spring.main.banner-mode=off",
                "management.endpoints.web.exposure.include=health,netpoll"));
        all.addAll(List.of(properties));
        return new SpringApplicationBuilder(SampleApplication.class, AsyncEndpoints.class).properties(all.toArray(String[]::new)).run();
    }

    /**
     * Runs curl and returns what it printed. Without curl on the PATH the test is skipped, or
     * fails when CI requires the tools (NETPOLL_REQUIRE_TLS_TOOLS=true, as the server's TLS tests).
     */
    private static String curl(String... arguments) throws Exception {
        boolean found = java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, "curl")));
        if (!found) {
            org.junit.jupiter.api.Assertions.assertFalse(Boolean.parseBoolean(System.getenv("NETPOLL_REQUIRE_TLS_TOOLS")),
                    "curl is required (NETPOLL_REQUIRE_TLS_TOOLS=true) but is not on the PATH");
            org.junit.jupiter.api.Assumptions.assumeTrue(false, "curl is not on the PATH");
        }
        List<String> command = new ArrayList<>(List.of("curl"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        process.waitFor();
        return output;
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    private static HttpResponse<String> send(HttpClient client, HttpRequest.Builder request) throws Exception {
        return client.send(request.build(), BodyHandlers.ofString());
    }

    /** What the application must answer the same over any protocol. */
    private static void servesTheApplication(HttpClient client, String base) throws Exception {
        var hello = send(client, HttpRequest.newBuilder(URI.create(base + "/hello")));
        assertThat(hello.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(hello.body()).isEqualTo("{\"message\":\"hello\"}");
        assertThat(hello.headers().allValues("x-filters")).containsExactly("first", "second");

        var invalid = send(client, HttpRequest.newBuilder(URI.create(base + "/items")).header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString("{\"name\":\"\",\"quantity\":0}")));
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.body()).contains("\"status\":400").contains("\"path\":\"/items\"");

        var boom = send(client, HttpRequest.newBuilder(URI.create(base + "/boom")));
        assertThat(boom.statusCode()).isEqualTo(500);
        assertThat(boom.body()).contains("\"status\":500");

        var big = client.send(HttpRequest.newBuilder(URI.create(base + "/big?mb=3")).build(), BodyHandlers.ofByteArray());
        assertThat(big.body()).hasSize(3 * 1024 * 1024);

        byte[] upload = new byte[5 * 1024 * 1024];
        var count = send(client, HttpRequest.newBuilder(URI.create(base + "/count")).header("Content-Type", "application/octet-stream")
                .POST(BodyPublishers.ofByteArray(upload)));
        assertThat(count.body()).isEqualTo("{\"bytes\":" + upload.length + "}");

        var cookie = send(client, HttpRequest.newBuilder(URI.create(base + "/cookie")).header("Cookie", "seen=before"));
        assertThat(cookie.body()).isEqualTo("seen=before");
        assertThat(cookie.headers().firstValue("set-cookie")).hasValueSatisfying(v -> assertThat(v).startsWith("seen=yes"));

        for (String path : List.of("callable", "deferred", "future", "task")) {
            var async = send(client, HttpRequest.newBuilder(URI.create(base + "/async/" + path)));
            assertThat(async.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(async.body()).isEqualTo(path + " done");
        }
        assertThat(send(client, HttpRequest.newBuilder(URI.create(base + "/async/stream"))).body())
                .isEqualTo("chunk0;chunk1;chunk2;");
        var sse = send(client, HttpRequest.newBuilder(URI.create(base + "/async/sse")));
        assertThat(sse.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
        assertThat(sse.body()).contains("id:0\ndata:event 0\n\n").contains("id:4\ndata:event 4\n\n");

        String boundary = "netpoll-h2";
        byte[] file = new byte[512 * 1024]; // under Spring's default 1MB max-file-size
        new java.util.Random(3).nextBytes(file);
        var crc = new java.util.zip.CRC32();
        crc.update(file);
        var multipart = new java.io.ByteArrayOutputStream();
        multipart.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"description\"\r\n\r\nover h2\r\n--"
                + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f.bin\"\r\n\r\n").getBytes());
        multipart.writeBytes(file);
        multipart.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes());
        var uploaded = send(client, HttpRequest.newBuilder(URI.create(base + "/upload"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(BodyPublishers.ofByteArray(multipart.toByteArray())));
        assertThat(uploaded.body()).contains("\"description\":\"over h2\"").contains("\"size\":" + file.length)
                .contains("\"crc\":" + crc.getValue());

        List<CompletableFuture<HttpResponse<String>>> many = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            many.add(client.sendAsync(HttpRequest.newBuilder(URI.create(base + "/items/" + i)).build(), BodyHandlers.ofString()));
        }
        for (int i = 0; i < 50; i++) {
            assertThat(many.get(i).get().body()).isEqualTo("{\"id\":" + i + "}");
        }
    }

    @Test
    void h2cServesTheApplicationByUpgradeAndByPriorKnowledge() throws Exception {
        Path logs = dir.resolve("logs");
        try (var context = start("server.http2.enabled=true", "server.compression.enabled=true",
                "server.netpoll.accesslog.enabled=true",
                "server.netpoll.accesslog.directory=" + logs, "server.netpoll.accesslog.pattern=%r %s");
                var client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build()) {
            String base = "http://127.0.0.1:" + port(context);
            servesTheApplication(client, base);
            assertThat(curl("-sS", "--http2-prior-knowledge", "-w", " %{http_version}", base + "/hello"))
                    .isEqualTo("{\"message\":\"hello\"} 2");
            var gzipped = client.send(HttpRequest.newBuilder(URI.create(base + "/text?kb=16")).header("Accept-Encoding", "gzip")
                    .build(), BodyHandlers.ofByteArray());
            assertThat(gzipped.headers().firstValue("content-encoding")).hasValue("gzip");
            assertThat(gzipped.headers().firstValue("vary")).hasValue("accept-encoding");
            try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gzipped.body()))) {
                assertThat(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("netpoll ".repeat(16 * 128));
            }
            assertThat(send(client, HttpRequest.newBuilder(URI.create(base + "/text?kb=16"))).body()).hasSize(16 * 1024);
            // A stream in progress: counted by the gauge and listed under its connection.
            var slow = client.sendAsync(HttpRequest.newBuilder(URI.create(base + "/slow?ms=1500")).build(), BodyHandlers.ofString());
            var registry = context.getBean(io.micrometer.core.instrument.MeterRegistry.class);
            org.awaitility.Awaitility.await().until(() ->
                    registry.get("netpoll.http2.streams.active").tag("server", "main").gauge().value() >= 1);
            var runtime = send(client, HttpRequest.newBuilder(URI.create(base + "/actuator/netpoll")));
            assertThat(runtime.body()).contains("HTTP/2 (streams in progress)").containsPattern("stream \\d+: GET /slow\\?ms=1500");
            assertThat(slow.get().body()).isEqualTo("slept 1500");
            org.awaitility.Awaitility.await().until(() ->
                    registry.get("netpoll.http2.streams.active").tag("server", "main").gauge().value() == 0);
            Path log;
            try (var files = Files.list(logs)) {
                log = files.findFirst().orElseThrow();
            }
            org.awaitility.Awaitility.await().untilAsserted(() ->
                    assertThat(Files.readString(log)).contains("GET /items/7 HTTP/2.0 200"));
        }
    }

    @Test
    void h2OverTlsIsNegotiatedByAlpn() throws Exception {
        try (var context = start("server.http2.enabled=true", "server.ssl.key-store=file:" + store,
                "server.ssl.key-store-password=changeit");
                var client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                        .sslContext(TestPki.client(store, null)).build()) {
            servesTheApplication(client, "https://localhost:" + port(context));
        }
    }

    @Test
    void withTheSettingOffAClientAskingForHttp2GetsHttp11() throws Exception {
        try (var context = start();
                var client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build()) {
            var hello = send(client, HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port(context) + "/hello")));
            assertThat(hello.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
            assertThat(hello.body()).isEqualTo("{\"message\":\"hello\"}");
        }
    }
}
