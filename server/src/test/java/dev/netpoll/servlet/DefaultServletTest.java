package dev.netpoll.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The container's default servlet over META-INF/resources on the class path. */
class DefaultServletTest {

    private static ServletServer server;

    @BeforeAll
    static void start() throws Exception {
        var context = new NetpollServletContext("", DefaultServletTest.class.getClassLoader());
        context.addDefaultServlet();
        server = ServletServer.serve(context);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return server.send(request);
    }

    private static HttpRequest.Builder request(String path) {
        return server.request(path);
    }

    @Test
    void servesAResourceWithTypeValidatorsAndConditionalAnswers() throws Exception {
        var response = send(request("/hello.txt"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("static hello\n");
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        String etag = response.headers().firstValue("ETag").orElseThrow();
        String lastModified = response.headers().firstValue("Last-Modified").orElseThrow();
        assertThat(send(request("/hello.txt").header("If-None-Match", etag)).statusCode()).isEqualTo(304);
        assertThat(send(request("/hello.txt").header("If-Modified-Since", lastModified)).statusCode()).isEqualTo(304);
        assertThat(send(request("/hello.txt").header("If-None-Match", "\"other\"")).statusCode()).isEqualTo(200);
    }

    @Test
    void servesByteRanges() throws Exception {
        var part = send(request("/hello.txt").header("Range", "bytes=7-11"));
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.body()).isEqualTo("hello");
        assertThat(part.headers().firstValue("Content-Range")).hasValue("bytes 7-11/13");
        assertThat(send(request("/hello.txt").header("Range", "bytes=-6")).body()).isEqualTo("hello\n");
        assertThat(send(request("/hello.txt").header("Range", "bytes=50-")).statusCode()).isEqualTo(416);
    }

    @Test
    void missingFilesDirectoriesAndOtherMethods() throws Exception {
        assertThat(send(request("/nope.txt")).statusCode()).isEqualTo(404);
        assertThat(send(request("/")).statusCode()).isEqualTo(404);
        var post = send(request("/hello.txt").POST(BodyPublishers.ofString("x")));
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD, OPTIONS");
    }

    @Test
    void webInfAndMetaInfOfADocumentRootAreNotServed(@org.junit.jupiter.api.io.TempDir java.nio.file.Path root)
            throws Exception {
        java.nio.file.Files.createDirectories(root.resolve("WEB-INF"));
        java.nio.file.Files.writeString(root.resolve("WEB-INF/secret.properties"), "password=hunter2");
        java.nio.file.Files.createDirectories(root.resolve("META-INF"));
        java.nio.file.Files.writeString(root.resolve("META-INF/MANIFEST.MF"), "Manifest-Version: 1.0");
        java.nio.file.Files.writeString(root.resolve("public.txt"), "hello");
        var context = new NetpollServletContext("", DefaultServletTest.class.getClassLoader());
        context.setDocumentRoot(root.toFile());
        context.addDefaultServlet();
        try (var rooted = ServletServer.serve(context)) {
            assertThat(rooted.send(rooted.request("/public.txt")).body()).isEqualTo("hello");
            assertThat(rooted.send(rooted.request("/WEB-INF/secret.properties")).statusCode()).isEqualTo(404);
            assertThat(rooted.send(rooted.request("/web-inf/secret.properties")).statusCode()).isEqualTo(404);
            assertThat(rooted.send(rooted.request("/META-INF/MANIFEST.MF")).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void anApplicationServletTakesOverTheSlashMappingButTheNameStays() throws Exception {
        var other = new NetpollServletContext("", DefaultServletTest.class.getClassLoader());
        other.addDefaultServlet();
        var app = other.addServlet("app", new jakarta.servlet.http.HttpServlet() { });
        assertThat(app.addMapping("/")).isEmpty();
        assertThat(other.getServletRegistration("default")).isNotNull();
        assertThat(other.getServletRegistration("default").getMappings()).isEmpty();
        assertThat(other.getNamedDispatcher("default")).isNotNull();
        assertThat(other.mapper().match("/x").servlet().getName()).isEqualTo("app");
    }
}
