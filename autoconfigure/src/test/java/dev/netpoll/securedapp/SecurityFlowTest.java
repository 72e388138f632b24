package dev.netpoll.securedapp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netpoll.autoconfigure.NetpollWebServer;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.test.annotation.DirtiesContext;

/** A real Spring Security login flow on Netpoll: form login, session fixation protection, CSRF, Basic. */
@DirtiesContext
@SpringBootTest(classes = SecuredApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = "spring.autoconfigure.exclude=")
class SecurityFlowTest {

    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    private final HttpClient client = HttpClient.newBuilder().cookieHandler(cookies).version(version())
            .followRedirects(HttpClient.Redirect.NEVER).build();

    /** The protocol the client asks for; HTTP/1.1 here, HTTP/2 in {@link SecurityFlowOverHttp2Test}. */
    HttpClient.Version version() {
        return HttpClient.Version.HTTP_1_1;
    }

    @LocalServerPort
    int port;

    @Autowired
    WebServerApplicationContext context;

    @AfterEach
    void closeClient() {
        client.close();
    }

    /** Like a browser: with form login and Basic both on, Spring Security picks by Accept. */
    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Accept", "text/html,*/*;q=0.8");
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.build(), BodyHandlers.ofString());
    }

    private String sessionId() {
        return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("JSESSIONID"))
                .map(HttpCookie::getValue).findFirst().orElse(null);
    }

    @Test
    void formLoginRotatesTheSessionAndCsrfGuardsPosts() throws Exception {
        assertThat(context.getWebServer()).isInstanceOf(NetpollWebServer.class);
        var anonymous = send(request("/me"));
        assertThat(anonymous.statusCode()).isEqualTo(302);
        assertThat(anonymous.headers().firstValue("Location")).hasValueSatisfying(v -> assertThat(v).endsWith("/login"));

        var loginPage = send(request("/login"));
        assertThat(loginPage.statusCode()).isEqualTo(200);
        var token = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(loginPage.body());
        assertThat(token.find()).as("CSRF token in the login form").isTrue();
        String beforeLogin = sessionId();
        assertThat(beforeLogin).isNotNull();

        var badLogin = send(request("/login").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(BodyPublishers.ofString("username=ada&password=wrong&_csrf=" + URLEncoder.encode(token.group(1), StandardCharsets.UTF_8))));
        assertThat(badLogin.headers().firstValue("Location")).hasValueSatisfying(v -> assertThat(v).contains("/login?error"));

        var login = send(request("/login").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(BodyPublishers.ofString("username=ada&password=secret&_csrf=" + URLEncoder.encode(token.group(1), StandardCharsets.UTF_8))));
        assertThat(login.statusCode()).isEqualTo(302);
        assertThat(login.headers().firstValue("Location")).hasValueSatisfying(v -> assertThat(v).endsWith("/me?continue"));
        assertThat(sessionId()).as("session fixation protection gives a new id").isNotEqualTo(beforeLogin);

        var me = send(request("/me"));
        assertThat(me.body()).isEqualTo("hello ada");
        assertThat(me.version()).isEqualTo(version());

        var withoutToken = send(request("/transfer").POST(BodyPublishers.noBody()));
        assertThat(withoutToken.statusCode()).isEqualTo(403);
        var csrf = send(request("/csrf")).body();
        var csrfToken = Pattern.compile("\"token\":\"([^\"]+)\"").matcher(csrf);
        assertThat(csrfToken.find()).isTrue();
        var withToken = send(request("/transfer").header("X-CSRF-TOKEN", csrfToken.group(1)).POST(BodyPublishers.noBody()));
        assertThat(withToken.statusCode()).isEqualTo(200);
        assertThat(withToken.body()).isEqualTo("transferred");
    }

    @Test
    void httpBasicAuthenticatesEachRequest() throws Exception {
        String good = Base64.getEncoder().encodeToString("ada:secret".getBytes(StandardCharsets.UTF_8));
        String bad = Base64.getEncoder().encodeToString("ada:nope".getBytes(StandardCharsets.UTF_8));
        // An API client, not a browser: no Accept: text/html, so failures are 401, not a redirect.
        var api = (java.util.function.Function<String, HttpRequest.Builder>) path ->
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        var ok = send(api.apply("/me").header("Authorization", "Basic " + good));
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("hello ada");
        assertThat(send(api.apply("/me").header("Authorization", "Basic " + bad)).statusCode()).isEqualTo(401);
    }
}
