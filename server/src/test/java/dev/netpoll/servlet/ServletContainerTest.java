package dev.netpoll.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletRequestEvent;
import jakarta.servlet.ServletRequestListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The servlet container on its own, with plain servlets and filters, over real HTTP. */
class ServletContainerTest {

    private static final List<String> events = new CopyOnWriteArrayList<>();
    private static final java.nio.file.Path UPLOADS = createUploads();

    private static java.nio.file.Path createUploads() {
        try {
            return java.nio.file.Files.createTempDirectory("netpoll-test-uploads");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
    private static ServletServer server;
    private static NetpollServletContext context;

    /** A servlet whose body is a lambda. */
    static final class Lambda extends HttpServlet {
        private final BiConsumer<HttpServletRequest, HttpServletResponse> body;

        Lambda(BiConsumer<HttpServletRequest, HttpServletResponse> body) {
            this.body = body;
        }

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) {
            body.accept(request, response);
        }
    }

    private static void write(HttpServletResponse response, String text) {
        try {
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().print(text);
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    private static String describe(HttpServletRequest r) {
        return r.getDispatcherType() + " uri=" + r.getRequestURI() + " servletPath=" + r.getServletPath()
                + " pathInfo=" + r.getPathInfo() + " mapping=" + r.getHttpServletMapping().getMappingMatch();
    }

    @BeforeAll
    static void start() throws Exception {
        context = new NetpollServletContext("/app", ServletContainerTest.class.getClassLoader());
        context.setInitParameter("greeting", "hi");
        context.addMimeMapping("webmanifest", "application/manifest+json");
        context.addServlet("exact", new Lambda((q, s) -> write(s, describe(q)))).addMapping("/exact");
        context.addServlet("form", new Lambda((q, s) -> {
            try {
                q.setCharacterEncoding("UTF-8"); // as Spring's CharacterEncodingFilter does
            } catch (java.io.UnsupportedEncodingException e) {
                throw new RuntimeException(e);
            }
            write(s, "name=" + q.getParameter("name") + " q=" + q.getParameter("q"));
        })).addMapping("/form");
        context.addServlet("prefix", new Lambda((q, s) -> write(s, describe(q)))).addMapping("/api/*");
        context.addServlet("longer", new Lambda((q, s) -> write(s, "longer " + describe(q)))).addMapping("/api/v2/*");
        context.addServlet("ext", new Lambda((q, s) -> write(s, describe(q)))).addMapping("*.do");
        context.addServlet("default", new Lambda((q, s) -> write(s, describe(q)))).addMapping("/");
        context.addServlet("forwarder", new Lambda((q, s) -> {
            try {
                q.getRequestDispatcher("/api/target?extra=1").forward(q, s);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        })).addMapping("/forward");
        context.addServlet("includer", new Lambda((q, s) -> {
            try {
                s.setContentType("text/plain");
                s.getWriter().print("before|");
                q.getRequestDispatcher("/exact").include(q, s);
                s.getWriter().print("|after " + q.getAttribute(RequestDispatcher.INCLUDE_REQUEST_URI));
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        })).addMapping("/include");
        context.addServlet("named", new Lambda((q, s) -> {
            try {
                q.getServletContext().getNamedDispatcher("exact").forward(q, s);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        })).addMapping("/named");
        context.addServlet("teapot", new Lambda((q, s) -> {
            try {
                s.sendError(418, "short and stout");
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        })).addMapping("/teapot");
        context.addServlet("fails", new Lambda((q, s) -> {
            throw new UnsupportedOperationException("nope");
        })).addMapping("/fails");
        context.addServlet("errors", new Lambda((q, s) -> write(s, "error page " + q.getDispatcherType()
                + " status=" + q.getAttribute(RequestDispatcher.ERROR_STATUS_CODE)
                + " message=" + q.getAttribute(RequestDispatcher.ERROR_MESSAGE)
                + " uri=" + q.getAttribute(RequestDispatcher.ERROR_REQUEST_URI)
                + " exception=" + q.getAttribute(RequestDispatcher.ERROR_EXCEPTION_TYPE)))).addMapping("/errors");
        context.addServlet("resource", new Lambda((q, s) -> {
            try (var in = q.getServletContext().getResourceAsStream("/hello.txt")) {
                write(s, new String(in.readAllBytes()).trim() + " " + q.getServletContext().getMimeType("x.webmanifest")
                        + " " + q.getServletContext().getMimeType("a.css") + " " + q.getServletContext().getInitParameter("greeting"));
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        })).addMapping("/resource");
        context.addServlet("form-twice", new Lambda((q, s) -> {
            String first;
            try {
                first = q.getParameter("name");
            } catch (IllegalStateException e) {
                first = "refused";
            }
            String second;
            try {
                second = q.getParameter("role"); // an application that caught the first failure asks again
            } catch (IllegalStateException e) {
                second = "refused";
            }
            write(s, first + " " + second);
        })).addMapping("/form-twice");
        context.addServlet("forward-accented", new Lambda((q, s) -> {
            try {
                q.getRequestDispatcher("/form?name=M\u00fcller").forward(q, s);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        })).addMapping("/forward-accented");
        var asyncThrows = context.addServlet("async-throws", new Lambda((q, s) -> {
            var async = q.startAsync();
            async.addListener(new jakarta.servlet.AsyncListener() {
                @Override
                public void onComplete(jakarta.servlet.AsyncEvent event) {
                    ASYNC_EVENTS.add("complete");
                }

                @Override
                public void onTimeout(jakarta.servlet.AsyncEvent event) {
                    ASYNC_EVENTS.add("timeout");
                }

                @Override
                public void onError(jakarta.servlet.AsyncEvent event) {
                    ASYNC_EVENTS.add("error " + event.getThrowable().getMessage());
                    if (q.getParameter("dispatch") != null) {
                        event.getAsyncContext().dispatch("/exact"); // as Spring's WebAsyncManager does
                    }
                }

                @Override
                public void onStartAsync(jakarta.servlet.AsyncEvent event) {
                }
            });
            throw new IllegalStateException("boom after startAsync");
        }));
        asyncThrows.addMapping("/async-throws");
        asyncThrows.setAsyncSupported(true);
        var wrappedAsync = context.addServlet("wrapped-async", new Lambda((q, s) -> {
            if (q.getDispatcherType() == jakarta.servlet.DispatcherType.REQUEST) {
                // As Spring does: startAsync with the filter chain's wrappers, then dispatch back.
                var request = new jakarta.servlet.http.HttpServletRequestWrapper(q) {
                    @Override
                    public Object getAttribute(String name) {
                        return name.equals("marker") ? "request wrapper" : super.getAttribute(name);
                    }
                };
                var response = new jakarta.servlet.http.HttpServletResponseWrapper(s) {
                    @Override
                    public String getHeader(String name) {
                        return name.equals("marker") ? "response wrapper" : super.getHeader(name);
                    }
                };
                q.startAsync(request, response).dispatch();
                return;
            }
            write(s, q.getDispatcherType() + " " + q.getAttribute("marker") + " " + s.getHeader("marker"));
        }));
        wrappedAsync.addMapping("/wrapped-async");
        wrappedAsync.setAsyncSupported(true);
        var nonBlocking = context.addServlet("nonblocking", new Lambda((q, s) -> {
            try {
                var async = q.startAsync();
                var in = q.getInputStream();
                var received = new java.io.ByteArrayOutputStream();
                in.setReadListener(new jakarta.servlet.ReadListener() {
                    @Override
                    public void onDataAvailable() throws IOException {
                        byte[] chunk = new byte[4096];
                        int n;
                        while (in.isReady() && (n = in.read(chunk)) != -1) {
                            received.write(chunk, 0, n);
                        }
                    }

                    @Override
                    public void onAllDataRead() throws IOException {
                        var out = s.getOutputStream();
                        out.setWriteListener(new jakarta.servlet.WriteListener() {
                            @Override
                            public void onWritePossible() throws IOException {
                                out.write(("read " + received.size() + " bytes, crc " + crc(received.toByteArray())).getBytes());
                                async.complete();
                            }

                            @Override
                            public void onError(Throwable t) {
                                async.complete();
                            }
                        });
                    }

                    @Override
                    public void onError(Throwable t) {
                        async.complete();
                    }
                });
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        }));
        nonBlocking.addMapping("/nonblocking");
        nonBlocking.setAsyncSupported(true);
        context.addServlet("listenerWithoutAsync", new Lambda((q, s) -> {
            try {
                q.getInputStream().setReadListener(new jakarta.servlet.ReadListener() {
                    public void onDataAvailable() { }
                    public void onAllDataRead() { }
                    public void onError(Throwable t) { }
                });
            } catch (IllegalStateException e) {
                write(s, "refused: " + e.getMessage());
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        })).addMapping("/listener-without-async");
        var upload = context.addServlet("upload", new Lambda((q, s) -> {
            try {
                var file = (MultipartPart) q.getPart("file");
                long spilled;
                try (var listing = java.nio.file.Files.list(UPLOADS)) {
                    spilled = listing.count();
                }
                write(s, "title=" + q.getParameter("title") + " parts=" + q.getParts().size() + " file="
                        + file.getSubmittedFileName() + " size=" + file.getSize() + " onDisk=" + file.onDisk()
                        + " filesInLocation=" + spilled + " crc=" + crc(file.getInputStream().readAllBytes()));
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        }));
        upload.addMapping("/upload");
        upload.setMultipartConfig(new jakarta.servlet.MultipartConfigElement(UPLOADS.toString(), 200_000, 300_000, 1024));
        var forwardFilter = context.addFilter("forwardOnly", (request, response, chain) -> {
            ((HttpServletResponse) response).addHeader("X-Forward-Filter", "ran");
            chain.doFilter(request, response);
        });
        forwardFilter.addMappingForUrlPatterns(EnumSet.of(DispatcherType.FORWARD), false, "/api/*");
        var errorFilter = context.addFilter("errorOnly", (request, response, chain) -> {
            ((HttpServletResponse) response).addHeader("X-Error-Filter", "ran");
            chain.doFilter(request, response);
        });
        errorFilter.addMappingForServletNames(EnumSet.of(DispatcherType.ERROR), false, "errors");
        context.addListener(new ServletRequestListener() {
            @Override
            public void requestInitialized(ServletRequestEvent event) {
                events.add("init " + ((HttpServletRequest) event.getServletRequest()).getRequestURI());
            }

            @Override
            public void requestDestroyed(ServletRequestEvent event) {
                events.add("destroy " + ((HttpServletRequest) event.getServletRequest()).getRequestURI());
            }
        });
        context.errorPages().addForStatus(418, "/errors");
        context.errorPages().addForException(UnsupportedOperationException.class, "/errors");
        server = ServletServer.serve(context);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return server.get(path);
    }

    @Test
    void urlPatternsMatchInSpecificationOrder() throws Exception {
        assertThat(get("/app/exact").body()).isEqualTo("REQUEST uri=/app/exact servletPath=/exact pathInfo=null mapping=EXACT");
        assertThat(get("/app/api/a/b").body()).isEqualTo("REQUEST uri=/app/api/a/b servletPath=/api pathInfo=/a/b mapping=PATH");
        assertThat(get("/app/api/v2/x").body()).startsWith("longer REQUEST uri=/app/api/v2/x servletPath=/api/v2 pathInfo=/x");
        assertThat(get("/app/x/y.do").body()).isEqualTo("REQUEST uri=/app/x/y.do servletPath=/x/y.do pathInfo=null mapping=EXTENSION");
        assertThat(get("/app/other").body()).isEqualTo("REQUEST uri=/app/other servletPath=/other pathInfo=null mapping=DEFAULT");
        assertThat(get("/app/caf%C3%A9").body()).contains("servletPath=/café");
    }

    @Test
    void contextRootRedirectsAndOtherContextsAre404() throws Exception {
        var redirect = get("/app");
        assertThat(redirect.statusCode()).isEqualTo(302);
        assertThat(redirect.headers().firstValue("Location")).hasValue("/app/");
        assertThat(get("/elsewhere").statusCode()).isEqualTo(404);
    }

    @Test
    void forwardRunsForwardFiltersAndSeesTheNewPathAndParameters() throws Exception {
        var response = get("/app/forward?q=1");
        assertThat(response.body()).isEqualTo("FORWARD uri=/app/api/target servletPath=/api pathInfo=/target mapping=PATH");
        assertThat(response.headers().firstValue("X-Forward-Filter")).hasValue("ran");
    }

    @Test
    void includeAddsTheIncludedBodyAndKeepsTheOriginalPaths() throws Exception {
        assertThat(get("/app/include").body())
                .isEqualTo("before|INCLUDE uri=/app/include servletPath=/include pathInfo=null mapping=EXACT|after null");
    }

    @Test
    void namedDispatcherForwardsToTheServlet() throws Exception {
        assertThat(get("/app/named").body()).startsWith("FORWARD uri=/app/named");
    }

    @Test
    void sendErrorForwardsToTheStatusErrorPageWithErrorFilters() throws Exception {
        var response = get("/app/teapot");
        assertThat(response.statusCode()).isEqualTo(418);
        assertThat(response.body()).isEqualTo("error page ERROR status=418 message=short and stout uri=/app/teapot exception=null");
        assertThat(response.headers().firstValue("X-Error-Filter")).hasValue("ran");
    }

    @Test
    void exceptionForwardsToTheExceptionErrorPage() throws Exception {
        var response = get("/app/fails");
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).startsWith("error page ERROR status=500 message=nope uri=/app/fails")
                .endsWith("exception=class java.lang.UnsupportedOperationException");
    }

    @Test
    void resourcesMimeTypesAndInitParameters() throws Exception {
        assertThat(get("/app/resource").body()).isEqualTo("static hello application/manifest+json text/css hi");
    }

    @Test
    void requestListenersSeeEveryRequest() throws Exception {
        events.clear();
        get("/app/exact");
        assertThat(events).containsExactly("init /app/exact", "destroy /app/exact");
    }

    static long crc(byte[] bytes) {
        var crc = new java.util.zip.CRC32();
        crc.update(bytes);
        return crc.getValue();
    }

    @Test
    void readAndWriteListenersEchoABodyInAsyncMode() throws Exception {
        byte[] body = new byte[300_000];
        new java.util.Random(5).nextBytes(body);
        var response = server.send(server.request("/app/nonblocking")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
        assertThat(response.body()).isEqualTo("read 300000 bytes, crc " + crc(body));
        assertThat(get("/app/listener-without-async").body()).isEqualTo("refused: setReadListener needs an async request (call startAsync first)");
    }

    static byte[] multipart(String boundary, String title, String fileName, byte[] content) {
        var out = new java.io.ByteArrayOutputStream();
        out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\n" + title + "\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        out.writeBytes(content);
        out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    @Test
    void multipartPartsSpillToDiskAboveTheThresholdAndAreDeletedAfterwards() throws Exception {
        byte[] content = new byte[100_000];
        new java.util.Random(9).nextBytes(content);
        // A near-miss of the delimiter inside the content must not split it (the real one may
        // not appear in content at all, RFC 2046 section 5.1.1).
        System.arraycopy("\r\n--xyzz!".getBytes(), 0, content, 5000, 9);
        var response = server.send(server.request("/app/upload")
                .header("Content-Type", "multipart/form-data; boundary=xyzzy")
                .POST(HttpRequest.BodyPublishers.ofByteArray(multipart("xyzzy", "Grüße", "data.bin", content))));
        assertThat(response.body()).isEqualTo("title=Grüße parts=2 file=data.bin size=100000 onDisk=true filesInLocation=1 crc="
                + crc(content));
        try (var listing = java.nio.file.Files.list(UPLOADS)) {
            assertThat(listing.count()).as("temporary files left").isZero();
        }
    }

    @Test
    void multipartOverTheFileSizeLimitFailsTheRequest() throws Exception {
        var response = server.send(server.request("/app/upload")
                .header("Content-Type", "multipart/form-data; boundary=b0")
                .POST(HttpRequest.BodyPublishers.ofByteArray(multipart("b0", "t", "big.bin", new byte[250_000]))));
        assertThat(response.statusCode()).isEqualTo(500);
        try (var listing = java.nio.file.Files.list(UPLOADS)) {
            assertThat(listing.count()).as("temporary files left").isZero();
        }
    }

    static final java.util.List<String> ASYNC_EVENTS = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Test
    void aDispatchThatThrowsAfterStartAsyncTellsTheListenersOnErrorThenOnComplete() throws Exception {
        ASYNC_EVENTS.clear();
        var response = get("/app/async-throws");
        assertThat(response.statusCode()).isEqualTo(500);
        await().atMost(java.time.Duration.ofSeconds(5)).until(() -> ASYNC_EVENTS.size() == 2);
        assertThat(ASYNC_EVENTS).containsExactly("error boom after startAsync", "complete");
    }

    @Test
    void aListenerThatDispatchesOnErrorIsHeardInsteadOfTheErrorPage() throws Exception {
        ASYNC_EVENTS.clear();
        var response = get("/app/async-throws?dispatch=1");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).startsWith("ASYNC uri=/app/exact servletPath=/exact");
    }

    @Test
    void anAsyncDispatchCarriesTheRequestAndResponseGivenToStartAsync() throws Exception {
        assertThat(get("/app/wrapped-async").body()).isEqualTo("ASYNC request wrapper response wrapper");
    }

    @Test
    void formFieldsSentAsRawUtf8AreDecodedWithTheRequestEncoding() throws Exception {
        // Browsers escape form fields, curl -d does not: the raw bytes are the request encoding's.
        var response = server.send(server.request("/app/form?q=%C3%BCber")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofByteArray("name=José+Müller".getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        assertThat(response.body()).isEqualTo("name=José Müller q=über");
    }

    @Test
    void aFormBodyAboveTwoMegabytesIsRefusedRatherThanReadIntoMemory() throws Exception {
        byte[] form = ("name=" + "x".repeat(RequestParameters.MAX_FORM_SIZE)).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        var response = server.send(server.request("/app/form")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofByteArray(form)));
        assertThat(response.statusCode()).isEqualTo(413);
    }

    @Test
    void aFormOverTheLimitStaysRefusedRatherThanParsedFromWhereTheLimitCutIt() throws Exception {
        byte[] form = ("name=" + "x".repeat(RequestParameters.MAX_FORM_SIZE) + "&role=admin")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        var response = server.send(server.request("/app/form-twice")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofByteArray(form)));
        assertThat(response.body()).isEqualTo("refused refused");
    }

    @Test
    void aDispatcherQueryStringIsTextNotWireBytes() throws Exception {
        assertThat(get("/app/forward-accented").body()).startsWith("name=M\u00fcller ");
    }

    @Test
    void registrationsAreClosedAfterStart() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> context.addServlet("late", new Lambda((q, s) -> { })))
                .isInstanceOf(IllegalStateException.class);
    }
}
