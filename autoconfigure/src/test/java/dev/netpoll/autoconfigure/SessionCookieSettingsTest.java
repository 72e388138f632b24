package dev.netpoll.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.server.servlet.context.AnnotationConfigServletWebServerApplicationContext;

/** server.servlet.session.cookie.* reach the session cookie of the server's servlet context. */
class SessionCookieSettingsTest {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner(
            AnnotationConfigServletWebServerApplicationContext::new)
            .withConfiguration(AutoConfigurations.of(NetpollServletWebServerAutoConfiguration.class))
            .withPropertyValues("server.port=0");

    @Test
    void sameSiteReachesTheSessionCookieAlongsideTheOtherCookieSettings() {
        runner.withPropertyValues("server.servlet.session.cookie.same-site=strict",
                "server.servlet.session.cookie.name=SID").run(context -> {
                    assertThat(context).hasNotFailed();
                    var server = (NetpollWebServer) ((WebServerApplicationContext) context.getSourceApplicationContext())
                            .getWebServer();
                    var cookie = server.getServletContext().getSessionCookieConfig();
                    assertThat(cookie.getAttribute("SameSite")).isEqualTo("Strict");
                    assertThat(cookie.getName()).isEqualTo("SID");
                });
    }
}
