package dev.netpoll.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.server.Cookie.SameSite;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.server.servlet.CookieSameSiteSupplier;
import org.springframework.boot.web.server.servlet.context.AnnotationConfigServletWebServerApplicationContext;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * server.servlet.session.cookie.same-site and CookieSameSiteSupplier beans decide the SameSite of
 * the Set-Cookie headers on the wire: the session cookie's and those of addCookie.
 */
class CookieSameSiteTest {

    private final HttpClient client = HttpClient.newHttpClient();
    private NetpollWebServer server;

    @AfterEach
    void stop() {
        client.close();
        if (server != null) {
            server.destroy();
        }
    }

    /** Creates a session and adds the cookies named, each with value "v". */
    static final class CookieServlet extends HttpServlet {

        private final List<String> names;

        CookieServlet(String... names) {
            this.names = List.of(names);
        }

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) {
            request.getSession(true);
            for (String name : names) {
                var cookie = new Cookie(name, "v");
                if (name.startsWith("own")) {
                    cookie.setAttribute("SameSite", "Lax");
                }
                response.addCookie(cookie);
            }
        }
    }

    /** The Set-Cookie headers of a GET to a server made by {@code factory} serving {@code servlet}. */
    private List<String> setCookies(NetpollServletWebServerFactory factory, HttpServlet servlet) throws Exception {
        factory.setPort(0);
        server = (NetpollWebServer) factory.getWebServer(new ServletRegistrationBean<>(servlet, "/"));
        server.start();
        var response = client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort() + "/")).build(),
                BodyHandlers.discarding());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.headers().allValues("Set-Cookie");
    }

    private static String named(List<String> headers, String name) {
        return headers.stream().filter(h -> h.startsWith(name + "=")).findFirst()
                .orElseThrow(() -> new AssertionError("no cookie " + name + " in " + headers));
    }

    @ParameterizedTest
    @EnumSource(value = SameSite.class, names = {"LAX", "STRICT", "NONE"})
    void sessionSameSiteReachesTheRenamedSessionCookieAndNoOtherCookie(SameSite sameSite) throws Exception {
        var factory = new NetpollServletWebServerFactory();
        factory.getSettings().getSession().getCookie().setName("SID");
        factory.getSettings().getSession().getCookie().setSameSite(sameSite);
        var headers = setCookies(factory, new CookieServlet("plain"));
        assertThat(headers).hasSize(2);
        assertThat(named(headers, "SID")).contains("; SameSite=" + sameSite.attributeValue());
        assertThat(named(headers, "plain")).doesNotContainIgnoringCase("SameSite");
    }

    @Test
    void suppliersSetSameSiteOnlyOnTheCookiesTheyMatch() throws Exception {
        var factory = new NetpollServletWebServerFactory();
        factory.addCookieSameSiteSuppliers(CookieSameSiteSupplier.ofLax().whenHasName("relaxed"),
                CookieSameSiteSupplier.ofNone().whenHasName("open"),
                CookieSameSiteSupplier.ofStrict().whenHasNameMatching("strict.*"));
        var headers = setCookies(factory, new CookieServlet("plain", "relaxed", "open", "strictest"));
        assertThat(headers).hasSize(5);
        assertThat(named(headers, "JSESSIONID")).doesNotContainIgnoringCase("SameSite");
        assertThat(named(headers, "plain")).doesNotContainIgnoringCase("SameSite");
        assertThat(named(headers, "relaxed")).endsWith("; SameSite=Lax");
        assertThat(named(headers, "open")).endsWith("; SameSite=None");
        assertThat(named(headers, "strictest")).endsWith("; SameSite=Strict");
    }

    @Test
    void configuredSessionSameSiteWinsOverASupplierThatMatchesEveryCookie() throws Exception {
        var factory = new NetpollServletWebServerFactory();
        factory.getSettings().getSession().getCookie().setName("SID");
        factory.getSettings().getSession().getCookie().setSameSite(SameSite.LAX);
        factory.addCookieSameSiteSuppliers(CookieSameSiteSupplier.ofStrict());
        var headers = setCookies(factory, new CookieServlet("plain"));
        assertThat(named(headers, "SID")).contains("; SameSite=Lax").doesNotContain("Strict");
        assertThat(named(headers, "plain")).endsWith("; SameSite=Strict");
    }

    @Test
    void omittedSessionSameSiteKeepsSuppliersOffTheSessionCookie() throws Exception {
        var factory = new NetpollServletWebServerFactory();
        factory.getSettings().getSession().getCookie().setName("SID");
        factory.getSettings().getSession().getCookie().setSameSite(SameSite.OMITTED);
        factory.addCookieSameSiteSuppliers(CookieSameSiteSupplier.ofStrict());
        var headers = setCookies(factory, new CookieServlet("plain"));
        assertThat(named(headers, "SID")).doesNotContainIgnoringCase("SameSite");
        assertThat(named(headers, "plain")).endsWith("; SameSite=Strict");
    }

    @Test
    void unsetSessionSameSiteLetsAMatchingSupplierDecideTheSessionCookie() throws Exception {
        var factory = new NetpollServletWebServerFactory();
        factory.addCookieSameSiteSuppliers(CookieSameSiteSupplier.ofNone().whenHasName("JSESSIONID"));
        var headers = setCookies(factory, new CookieServlet("plain"));
        assertThat(named(headers, "JSESSIONID")).contains("; SameSite=None");
        assertThat(named(headers, "plain")).doesNotContainIgnoringCase("SameSite");
    }

    @Test
    void aCookieThatNamesItsOwnSameSiteKeepsIt() throws Exception {
        var factory = new NetpollServletWebServerFactory();
        factory.addCookieSameSiteSuppliers(CookieSameSiteSupplier.ofStrict());
        var headers = setCookies(factory, new CookieServlet("own"));
        assertThat(named(headers, "own")).contains("; SameSite=Lax").doesNotContain("Strict");
    }

    @Test
    void supplierBeansReachTheServerThroughAutoConfiguration() {
        new WebApplicationContextRunner(AnnotationConfigServletWebServerApplicationContext::new)
                .withConfiguration(AutoConfigurations.of(NetpollServletWebServerAutoConfiguration.class))
                .withPropertyValues("server.port=0")
                .withUserConfiguration(LaxCookies.class)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    int port = ((WebServerApplicationContext) context.getSourceApplicationContext()).getWebServer()
                            .getPort();
                    var response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                            .build(), BodyHandlers.discarding());
                    assertThat(named(response.headers().allValues("Set-Cookie"), "plain")).endsWith("; SameSite=Lax");
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class LaxCookies {

        @Bean
        CookieSameSiteSupplier laxCookies() {
            return CookieSameSiteSupplier.ofLax();
        }

        @Bean
        ServletRegistrationBean<CookieServlet> cookieServlet() {
            return new ServletRegistrationBean<>(new CookieServlet("plain"), "/");
        }
    }
}
