package dev.netpoll.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A Spring Boot application started from its {@code main}, in a JVM of its own, keeps serving
 * after {@code main} returns, on every transport: the JVM lives as long as a non-daemon thread
 * does, and Netpoll's tasks are virtual threads, which are daemons.
 */
@Timeout(120)
class StandaloneApplicationTest {

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll"})
    void anApplicationKeepsServingAfterItsMainReturns(String transport) throws Exception {
        try (var application = new ChildApplication(ChildApplication.testClassPath(),
                "--server.netpoll.transport=" + transport, "--server.port=0")) {
            int bound = application.port();
            assertThat(bound).as("started:\n%s", application.output()).isPositive();

            Thread.sleep(5_000);
            assertThat(application.isAlive()).as("still running 5 s after start:\n%s", application.output()).isTrue();
            try (var client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
                var response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bound + "/hello"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).contains("hello");
            }
        }
    }
}
