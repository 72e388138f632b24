package dev.netpoll.securedapp;

import java.net.http.HttpClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The same Spring Security flows over h2c (the client upgrades its first request, then every
 * request is a stream): form login, session fixation protection (the session id changes), CSRF
 * and Basic behave as on HTTP/1.1.
 */
@DirtiesContext
@SpringBootTest(classes = SecuredApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {"spring.autoconfigure.exclude=", "server.http2.enabled=true"})
class SecurityFlowOverHttp2Test extends SecurityFlowTest {

    @Override
    HttpClient.Version version() {
        return HttpClient.Version.HTTP_2;
    }
}
