package dev.netpoll.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * Builds the image from {@code docker/Dockerfile} and runs it: health, the demo endpoint, the
 * Prometheus gauges and the startup log line. Base images come from {@code NETPOLL_BUILD_IMAGE}
 * and {@code NETPOLL_RUNTIME_IMAGE}, else the offline ones of {@code docker/build-offline-base.sh}
 * when this engine has them, else the Dockerfile's public defaults.
 */
class DockerImageTest {

    private static GenericContainer<?> container;
    private static int port;

    @BeforeAll
    static void startContainer() throws Exception {
        Environment.require(DockerClientFactory.instance().isDockerAvailable(), "A Docker engine", "NETPOLL_REQUIRE_DOCKER");
        Path root = Environment.repositoryRoot();
        var image = new ImageFromDockerfile("netpoll-sample-service-test", false)
                .withDockerfilePath("docker/Dockerfile")
                .withBuildArg("BUILD_IMAGE", baseImage("NETPOLL_BUILD_IMAGE", "netpoll/jdk:25", "eclipse-temurin:25-jdk"))
                .withBuildArg("RUNTIME_IMAGE", baseImage("NETPOLL_RUNTIME_IMAGE", "netpoll/jre:25", "eclipse-temurin:25-jre"))
                // Maven in the build stage fetches dependencies from Maven Central.
                .withBuildImageCmdModifier(cmd -> cmd.withNetworkMode("host"));
        for (String path : new String[] {"pom.xml", "mvnw", ".mvn", "docker/Dockerfile", "server/pom.xml", "server/src",
                "autoconfigure/pom.xml", "autoconfigure/src", "starter/pom.xml", "sample-service/pom.xml",
                "sample-service/src", "bench/pom.xml", "bench/spring/pom.xml", "bench/websocket/pom.xml"}) {
            image.withFileFromPath(path, root.resolve(path));
        }
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        container = new GenericContainer<>(image)
                .withNetworkMode("host")
                .withEnv("SERVER_PORT", String.valueOf(port))
                .withEnv("SERVER_ADDRESS", "127.0.0.1")
                .waitingFor(Wait.forLogMessage(".*Netpoll started on port " + port + ".*", 1)
                        .withStartupTimeout(Duration.ofMinutes(2)));
        container.start();
    }

    private static String baseImage(String variable, String offline, String published) {
        String chosen = System.getenv(variable);
        if (chosen != null && !chosen.isBlank()) {
            return chosen;
        }
        try {
            DockerClientFactory.instance().client().inspectImageCmd(offline).exec();
            return offline;
        } catch (RuntimeException e) {
            return published;
        }
    }

    @AfterAll
    static void stopContainer() {
        if (container != null) {
            container.stop();
        }
    }

    private static String get(String path) throws Exception {
        try (var client = HttpClient.newHttpClient()) {
            var response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                    BodyHandlers.ofString());
            assertThat(response.statusCode()).as(path).isEqualTo(200);
            return response.body();
        }
    }

    @Test
    void imageServesTheDemoOnNetpoll() throws Exception {
        assertThat(get("/actuator/health")).contains("\"status\":\"UP\"");
        assertThat(get("/")).matches("Request #\\d+\n");
        assertThat(get("/actuator/prometheus")).contains("netpoll_goroutines{").contains("netpoll_threads{");
        assertThat(container.getLogs()).contains("Netpoll started on port " + port + " (http)")
                .contains("using the epoll transport");
    }

    @Test
    void imageRunsAsANonRootUser() throws Exception {
        var result = container.execInContainer("id", "-u");
        assertThat(result.getStdout().trim()).isEqualTo("10001");
    }
}
