package dev.netpoll.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.PortInUseException;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.NestedExceptionUtils;

/** Starting, configuring and stopping a Spring Boot application on Netpoll. */
class ServerLifecycleTest {

    private final HttpClient client = HttpClient.newHttpClient();

    private static ConfigurableApplicationContext run(String... properties) {
        String[] args = new String[properties.length + 2];
        args[0] = "--server.port=0";
        args[1] = "--spring.main.banner-mode=off";
        System.arraycopy(properties, 0, args, 2, properties.length);
        return SpringApplication.run(SampleApplication.class, args);
    }

    private static NetpollWebServer server(ConfigurableApplicationContext context) {
        return (NetpollWebServer) ((WebServerApplicationContext) context).getWebServer();
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                BodyHandlers.ofString());
    }

    @Test
    void gracefulShutdownFinishesTheSlowRequestAndRefusesNewConnections() throws Exception {
        var context = run();
        NetpollWebServer server = server(context);
        int port = server.getPort();
        var slow = CompletableFuture.supplyAsync(() -> {
            try {
                return get(port, "/slow?ms=2000");
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> server.getHttpServer().requestsInFlight() == 1);
        var closing = CompletableFuture.runAsync(context::close);
        await().atMost(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
                        .isInstanceOf(ConnectException.class));
        assertThat(slow).isNotDone();
        HttpResponse<String> response = slow.get(10, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("slept 2000");
        closing.get(10, TimeUnit.SECONDS);
    }

    @Test
    void immediateShutdownDoesNotWaitForRequestsInFlight() throws Exception {
        var context = run("--server.shutdown=immediate");
        NetpollWebServer server = server(context);
        int port = server.getPort();
        var slow = CompletableFuture.supplyAsync(() -> {
            try {
                return get(port, "/slow?ms=10000");
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> server.getHttpServer().requestsInFlight() == 1);
        long start = System.nanoTime();
        context.close();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(3_000);
        assertThatThrownBy(() -> slow.get(10, TimeUnit.SECONDS)).hasRootCauseInstanceOf(IOException.class);
    }

    @Test
    void portInUseFailsStartupWithPortInUseException() throws Exception {
        try (var taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> SpringApplication.run(SampleApplication.class, "--server.port=" + port,
                    "--server.address=127.0.0.1"))
                    .satisfies(e -> assertThat(NestedExceptionUtils.getMostSpecificCause(e).getMessage())
                            .contains("bind").contains("EADDRINUSE").contains(String.valueOf(port)))
                    .satisfies(e -> assertThat(findCause(e, PortInUseException.class)).isNotNull()
                            .extracting(PortInUseException::getPort).isEqualTo(port));
        }
    }

    private static <T extends Throwable> T findCause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    @Test
    void badNetpollPropertyFailsStartupNamingTheProperty() {
        assertThatThrownBy(() -> run("--server.netpoll.poller-threads=0"))
                .satisfies(e -> assertThat(NestedExceptionUtils.getMostSpecificCause(e).getMessage())
                        .contains("server.netpoll.poller-threads").contains("at least 1"));
        assertThatThrownBy(() -> run("--server.netpoll.transport=kqueue"))
                .satisfies(e -> assertThat(e.getMessage() + findCauseMessages(e)).contains("server.netpoll.transport"));
    }

    private static String findCauseMessages(Throwable e) {
        var all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(' ').append(t.getMessage());
        }
        return all.toString();
    }

    @Test
    void contextPathServerHeaderAndHeaderSizeAreHonoured() throws Exception {
        try (var context = run("--server.servlet.context-path=/api", "--server.server-header=Netpoll",
                "--server.max-http-request-header-size=1KB")) {
            int port = server(context).getPort();
            var hello = get(port, "/api/hello");
            assertThat(hello.statusCode()).isEqualTo(200);
            assertThat(hello.headers().firstValue("Server")).hasValue("Netpoll");
            assertThat(get(port, "/hello").statusCode()).isEqualTo(404);
            var tooBig = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/hello"))
                    .header("X-Big", "b".repeat(2000)).build(), BodyHandlers.ofString());
            assertThat(tooBig.statusCode()).isEqualTo(431);
        }
    }

    @Test
    void defaultServletIsRegisteredOnRequestAndDispatcherServletKeepsSlash() throws Exception {
        try (var context = run("--server.servlet.register-default-servlet=true")) {
            var servletContext = ((org.springframework.web.context.WebApplicationContext) context).getServletContext();
            assertThat(servletContext.getServletRegistration("default")).isNotNull();
            assertThat(servletContext.getServletRegistration("dispatcherServlet").getMappings()).contains("/");
            assertThat(get(server(context).getPort(), "/hello").statusCode()).isEqualTo(200);
        }
        try (var context = run()) {
            var servletContext = ((org.springframework.web.context.WebApplicationContext) context).getServletContext();
            assertThat(servletContext.getServletRegistration("default")).isNull();
        }
    }

    @Test
    void nativeForwardHeadersStrategyAppliesProxyHeaders() throws Exception {
        try (var context = run("--server.forward-headers-strategy=native")) {
            int port = server(context).getPort();
            var response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/redirect"))
                    .header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "shop.example.com").build(),
                    BodyHandlers.ofString());
            assertThat(response.headers().firstValue("Location")).hasValue("https://shop.example.com/hello");
        }
        assertThatThrownBy(() -> run("--server.forward-headers-strategy=native", "--server.netpoll.trusted-proxies=(["))
                .satisfies(e -> assertThat(NestedExceptionUtils.getMostSpecificCause(e).getMessage() + findCauseMessages(e))
                        .contains("server.netpoll.trusted-proxies"));
    }

    @Test
    void accessLogIsWrittenWhenEnabled(@org.junit.jupiter.api.io.TempDir java.nio.file.Path logs) throws Exception {
        try (var context = run("--server.netpoll.accesslog.enabled=true", "--server.netpoll.accesslog.directory=" + logs)) {
            assertThat(get(server(context).getPort(), "/hello").statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                try (var files = java.nio.file.Files.list(logs)) {
                    return files.anyMatch(f -> {
                        try {
                            return java.nio.file.Files.readString(f).contains("\"GET /hello HTTP/1.1\" 200");
                        } catch (IOException e) {
                            return false;
                        }
                    });
                }
            });
        }
    }

    @Test
    void stopReleasesEveryDescriptorAndTask() throws Exception {
        int before = openDescriptors();
        var context = run();
        int port = server(context).getPort();
        for (int i = 0; i < 20; i++) {
            assertThat(get(port, "/hello").statusCode()).isEqualTo(200);
        }
        var engine = server(context).getHttpServer();
        context.close();
        assertThat(engine.stats().goroutines()).isZero();
        // The client's pooled connections close as the server closed them; allow JDK-internal fds.
        await().atMost(Duration.ofSeconds(10)).until(() -> openDescriptors() <= before + 4);
    }

    private static int openDescriptors() {
        return java.util.Objects.requireNonNull(new java.io.File("/proc/self/fd").list()).length;
    }
}
