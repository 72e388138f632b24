package dev.netpoll.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * setLocale gives a response the charset of the context's locale-encoding mapping, unless the
 * application chose one or already took the writer (HttpServletResponse.setLocale, Servlet 6.1).
 */
class LocaleEncodingTest {

    private static final String TEXT = "Grüße";
    private static ServletServer server;

    @BeforeAll
    static void start() throws Exception {
        var context = new NetpollServletContext("", LocaleEncodingTest.class.getClassLoader());
        context.addLocaleEncoding(Locale.GERMAN, StandardCharsets.UTF_8);
        context.addLocaleEncoding(Locale.JAPAN, StandardCharsets.UTF_16BE);
        context.addServlet("locale", new ServletContainerTest.Lambda((q, s) -> {
            try {
                switch (q.getPathInfo()) {
                    case "/explicit" -> s.setCharacterEncoding("UTF-16LE");
                    case "/in-content-type" -> s.setContentType("text/plain;charset=UTF-16LE");
                    case "/after-writer" -> {
                        s.setContentType("text/plain");
                        s.getWriter();
                    }
                    default -> { }
                }
                s.setLocale(Locale.forLanguageTag(q.getParameter("lang")));
                s.setContentType("text/plain");
                s.getWriter().print(TEXT);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        })).addMapping("/locale/*");
        server = ServletServer.serve(context);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private HttpResponse<byte[]> get(String path) throws Exception {
        return server.send(server.request(path), BodyHandlers.ofByteArray());
    }

    @Test
    void aMappedLocaleSetsTheCharsetOfTheContentTypeAndTheBody() throws Exception {
        var response = get("/locale/plain?lang=de");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain;charset=UTF-8");
        assertThat(response.headers().firstValue("Content-Language")).hasValue("de");
        assertThat(response.body()).isEqualTo(TEXT.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aLocaleWithACountryFallsBackToTheMappingOfItsLanguage() throws Exception {
        var response = get("/locale/plain?lang=de-AT");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain;charset=UTF-8");
    }

    @Test
    void aMappingForLanguageAndCountryServesThatLocaleOnly() throws Exception {
        assertThat(get("/locale/plain?lang=ja-JP").headers().firstValue("Content-Type"))
                .hasValue("text/plain;charset=UTF-16BE");
        assertThat(get("/locale/plain?lang=ja").headers().firstValue("Content-Type"))
                .hasValue("text/plain;charset=ISO-8859-1");
    }

    @Test
    void anUnmappedLocaleLeavesTheDefaultCharset() throws Exception {
        var response = get("/locale/plain?lang=it");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain;charset=ISO-8859-1");
        assertThat(response.body()).isEqualTo(TEXT.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void aCharsetSetBySetCharacterEncodingOrTheContentTypeWinsOverTheLocale() throws Exception {
        for (String path : new String[] {"/locale/explicit?lang=de", "/locale/in-content-type?lang=de"}) {
            var response = get(path);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain;charset=UTF-16LE");
            assertThat(response.body()).isEqualTo(TEXT.getBytes(StandardCharsets.UTF_16LE));
        }
    }

    @Test
    void setLocaleAfterGetWriterKeepsTheWritersCharset() throws Exception {
        var response = get("/locale/after-writer?lang=de");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain;charset=ISO-8859-1");
        assertThat(response.body()).isEqualTo(TEXT.getBytes(StandardCharsets.ISO_8859_1));
    }
}
