package dev.netpoll.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.server.servlet.context.AnnotationConfigServletWebServerApplicationContext;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** server.servlet.encoding.mapping.* decides the charset of a response whose locale is set. */
class LocaleCharsetMappingTest {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner(
            AnnotationConfigServletWebServerApplicationContext::new)
            .withConfiguration(AutoConfigurations.of(NetpollServletWebServerAutoConfiguration.class))
            .withUserConfiguration(LocalizedServlet.class)
            .withPropertyValues("server.port=0", "server.servlet.encoding.mapping.de=UTF-8");

    @Test
    void aMappedLocaleAnswersInItsCharsetAndAnUnmappedOneInTheDefault() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            int port = ((WebServerApplicationContext) context.getSourceApplicationContext()).getWebServer().getPort();
            try (var client = HttpClient.newHttpClient()) {
                var german = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/?lang=de"))
                        .build(), BodyHandlers.ofString());
                assertThat(german.headers().firstValue("Content-Type")).hasValue("text/plain;charset=UTF-8");
                assertThat(german.body()).isEqualTo("Grüße");
                var italian = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/?lang=it"))
                        .build(), BodyHandlers.ofString());
                assertThat(italian.headers().firstValue("Content-Type")).hasValue("text/plain;charset=ISO-8859-1");
            }
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class LocalizedServlet {

        @Bean
        ServletRegistrationBean<HttpServlet> localized() {
            return new ServletRegistrationBean<>(new HttpServlet() {
                @Override
                protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                    response.setLocale(Locale.forLanguageTag(request.getParameter("lang")));
                    response.setContentType("text/plain");
                    response.getWriter().print("Grüße");
                }
            }, "/");
        }
    }
}
