package dev.netpoll.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

/**
 * An ordinary Spring MVC application served by Netpoll, over a real HTTP client. The context is
 * closed afterwards ({@link DirtiesContext}) so that its server does not linger in the test JVM
 * while other classes count threads and descriptors.
 */
@DirtiesContext
@SpringBootTest(classes = SampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = "management.endpoints.web.exposure.include=health")
class SpringMvcOnNetpollTest {

    private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @LocalServerPort
    int port;

    @Autowired
    WebServerApplicationContext context;

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.build(), BodyHandlers.ofString());
    }

    private HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    }

    @Test
    void netpollServesTheApplicationEvenWithTomcatOnTheClassPath() {
        assertThat(context.getWebServer()).isInstanceOf(NetpollWebServer.class);
        assertThat(context.getWebServer().getPort()).isEqualTo(port).isPositive();
    }

    @Test
    void jsonGet() throws Exception {
        var response = send(get("/hello"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        assertThat(response.body()).isEqualTo("{\"message\":\"hello\"}");
    }

    @Test
    void jsonPostWithValidation() throws Exception {
        var created = send(get("/items").header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString("{\"name\":\"pen\",\"quantity\":3}")));
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.body()).contains("\"name\":\"pen\"").contains("\"quantity\":3");

        var invalid = send(get("/items").header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString("{\"name\":\"\",\"quantity\":0}")));
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.body()).contains("\"status\":400").contains("\"error\":\"Bad Request\"")
                .contains("\"path\":\"/items\"").contains("\"timestamp\"");
    }

    @Test
    void pathVariablesQueryAndFormParameters() throws Exception {
        assertThat(send(get("/items/42")).body()).isEqualTo("{\"id\":42}");
        var search = send(get("/search?q=caf%C3%A9+au+lait&page=2&tag=a&tag=b"));
        assertThat(search.body()).contains("\"q\":\"café au lait\"").contains("\"page\":2").contains("\"tags\":\"a,b\"");
        var form = send(get("/form").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(BodyPublishers.ofString("name=Ada+Lovelace&city=London%20UK")));
        assertThat(form.body()).contains("\"name\":\"Ada Lovelace\"").contains("\"city\":\"London UK\"");
    }

    @Test
    void unknownPathIs404WithBootsErrorJson() throws Exception {
        var response = send(get("/no/such/thing").header("Accept", "application/json"));
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("\"status\":404").contains("\"error\":\"Not Found\"")
                .contains("\"path\":\"/no/such/thing\"").contains("\"timestamp\"");
    }

    @Test
    void controllerExceptionIs500WithBootsErrorJson() throws Exception {
        var response = send(get("/boom").header("Accept", "application/json"));
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).contains("\"status\":500").contains("\"error\":\"Internal Server Error\"")
                .contains("\"path\":\"/boom\"");
        // The connection and the server stay usable.
        assertThat(send(get("/hello")).statusCode()).isEqualTo(200);
    }

    @Test
    void filtersRunInTheirOrder() throws Exception {
        var response = send(get("/hello"));
        assertThat(response.headers().allValues("X-Filters")).containsExactly("first", "second");
    }

    @Test
    void redirectCarriesAnAbsoluteLocation() throws Exception {
        var response = send(get("/redirect"));
        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location")).hasValue("http://127.0.0.1:" + port + "/hello");
    }

    @Test
    void cookiesGoBothWays() throws Exception {
        var first = send(get("/cookie"));
        assertThat(first.body()).isEqualTo("seen=null");
        assertThat(first.headers().firstValue("Set-Cookie")).hasValueSatisfying(v ->
                assertThat(v).contains("seen=yes").contains("HttpOnly").contains("SameSite=Strict"));
        assertThat(send(get("/cookie").header("Cookie", "seen=yes; other=1")).body()).isEqualTo("seen=yes");
    }

    @Test
    void headAnswersWithHeadersOnly() throws Exception {
        var response = send(get("/hello").method("HEAD", BodyPublishers.noBody()));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEmpty();
        assertThat(response.headers().firstValue("Content-Length")).hasValue("19");
    }

    @Test
    void tenMegabyteResponseStreamsAndTenMegabyteRequestArrives() throws Exception {
        var big = client.send(get("/big?mb=10").build(), BodyHandlers.ofInputStream());
        long total = 0;
        try (InputStream in = big.body()) {
            byte[] buffer = new byte[65536];
            for (int n; (n = in.read(buffer)) > 0; ) {
                total += n;
            }
        }
        assertThat(big.statusCode()).isEqualTo(200);
        assertThat(total).isEqualTo(10L * 1024 * 1024);
        assertThat(big.headers().firstValue("Transfer-Encoding")).hasValue("chunked");

        byte[] upload = new byte[10 * 1024 * 1024];
        Supplier<InputStream> stream = () -> new java.io.ByteArrayInputStream(upload);
        var count = send(get("/count").header("Content-Type", "application/octet-stream")
                .POST(BodyPublishers.ofInputStream(stream)));
        assertThat(count.body()).isEqualTo("{\"bytes\":" + upload.length + "}");
    }

    @Test
    void actuatorHealthIsUp() throws Exception {
        var response = send(get("/actuator/health"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"status\":\"UP\"");
    }

    @Test
    void theRuntimeViewAndGoroutineDumpAreNotServedUntilExposed() throws Exception {
        // Actuator exposes health alone by default, as this test does: the dump shows stacks and
        // client addresses, so it needs management.endpoints.web.exposure.include=netpoll.
        assertThat(send(get("/actuator/netpoll")).statusCode()).isEqualTo(404);
        assertThat(send(get("/actuator/netpoll/goroutines?debug=2")).statusCode()).isEqualTo(404);
    }

    @Test
    void traversalAttemptsAreRejectedBeforeAnyServlet() throws Exception {
        for (String path : new String[] {"/a/%2e%2e/hello", "/a/..%2Fhello", "/hello;jsessionid=1", "/a%5c..%5chello"}) {
            assertThat(send(get(path)).statusCode()).as(path).isEqualTo(400);
        }
    }
}
