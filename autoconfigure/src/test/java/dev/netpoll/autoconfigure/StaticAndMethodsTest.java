package dev.netpoll.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.web.filter.ShallowEtagHeaderFilter;

/** Spring's static resource handling (ETag, Last-Modified, Range, MIME types), OPTIONS and TRACE. */
@DirtiesContext
@SpringBootTest(classes = SampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@Import(StaticAndMethodsTest.Etags.class)
class StaticAndMethodsTest {

    /** ETags the usual Spring way; it wraps the response, which the container must allow. */
    @TestConfiguration
    static class Etags {

        @Bean
        FilterRegistrationBean<ShallowEtagHeaderFilter> etagFilter() {
            var registration = new FilterRegistrationBean<>(new ShallowEtagHeaderFilter());
            registration.addUrlPatterns("*.css");
            return registration;
        }
    }

    private final HttpClient client = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @AfterEach
    void closeClient() {
        client.close();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    }

    @Test
    void staticResourceWithTypeEtagAndConditionalRequests() throws Exception {
        HttpResponse<String> first = client.send(request("/site.css").build(), BodyHandlers.ofString());
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).isEqualTo("body { color: teal; }\n");
        assertThat(first.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/css"));
        String etag = first.headers().firstValue("ETag").orElseThrow(() -> new AssertionError("no ETag in " + first.headers().map()));
        String lastModified = first.headers().firstValue("Last-Modified").orElseThrow();
        var byEtag = client.send(request("/site.css").header("If-None-Match", etag).build(), BodyHandlers.ofString());
        assertThat(byEtag.statusCode()).isEqualTo(304);
        assertThat(byEtag.body()).isEmpty();
        var byDate = client.send(request("/site.css").header("If-Modified-Since", lastModified).build(), BodyHandlers.ofString());
        assertThat(byDate.statusCode()).isEqualTo(304);
    }

    @Test
    void rangeRequestsGetPartialContent() throws Exception {
        byte[] whole = client.send(request("/data.bin").build(), BodyHandlers.ofByteArray()).body();
        assertThat(whole).hasSize(20000);
        var part = client.send(request("/data.bin").header("Range", "bytes=100-199").build(), BodyHandlers.ofByteArray());
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.headers().firstValue("Content-Range")).hasValue("bytes 100-199/20000");
        assertThat(part.body()).isEqualTo(Arrays.copyOfRange(whole, 100, 200));
        var unsatisfiable = client.send(request("/data.bin").header("Range", "bytes=30000-").build(), BodyHandlers.ofByteArray());
        assertThat(unsatisfiable.statusCode()).isEqualTo(416);
    }

    @Test
    void optionsListsTheAllowedMethods() throws Exception {
        var response = client.send(request("/hello").method("OPTIONS", BodyPublishers.noBody()).build(), BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Allow")).hasValueSatisfying(v -> assertThat(v).contains("GET").contains("HEAD"));
    }

    @Test
    void traceIsDisabledAsOnTomcat() throws Exception {
        var response = client.send(request("/hello").method("TRACE", BodyPublishers.noBody()).build(), BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.body()).doesNotContain("Host:");
    }
}
