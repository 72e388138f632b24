package dev.netpoll.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.HttpServlet;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.ContextConsumer;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.server.servlet.context.AnnotationConfigServletWebServerApplicationContext;

/**
 * Spring Boot server settings Netpoll does not implement fail start-up with the property's name,
 * instead of being ignored (HTTP/2 asked for, HTTP/1.1 served); the ones it implements still start.
 */
class UnsupportedSettingsTest {

    // A servlet web server context, so that refreshing it really creates and starts the server.
    private final WebApplicationContextRunner runner = new WebApplicationContextRunner(
            AnnotationConfigServletWebServerApplicationContext::new)
            .withConfiguration(AutoConfigurations.of(NetpollServletWebServerAutoConfiguration.class))
            .withPropertyValues("server.port=0");

    private static ContextConsumer<AssertableWebApplicationContext> failsNaming(String... properties) {
        return context -> {
            assertThat(context).hasFailed();
            for (String property : properties) {
                assertThat(context.getStartupFailure()).rootCause().hasMessageContaining(property);
            }
        };
    }

    private static ContextConsumer<AssertableWebApplicationContext> startsNetpoll() {
        return context -> {
            assertThat(context).hasNotFailed();
            var server = ((WebServerApplicationContext) context.getSourceApplicationContext()).getWebServer();
            assertThat(server).isInstanceOf(NetpollWebServer.class);
            assertThat(server.getPort()).isPositive();
        };
    }

    @Test
    void disabledSslSettingsStillStart() {
        runner.withPropertyValues("server.ssl.enabled=false", "server.ssl.key-store=classpath:server.p12")
                .run(startsNetpoll());
    }

    @Test
    void http2EnabledStarts() {
        runner.withPropertyValues("server.http2.enabled=true").run(startsNetpoll());
    }

    @Test
    void anHttp2LimitOutOfRangeFailsStartUpNamingIt() {
        runner.withPropertyValues("server.http2.enabled=true", "server.netpoll.http2.max-concurrent-streams=0")
                .run(failsNaming("server.netpoll.http2.max-concurrent-streams"));
        runner.withPropertyValues("server.http2.enabled=true", "server.netpoll.http2.max-header-list-size=10B")
                .run(failsNaming("server.netpoll.http2.max-header-list-size"));
    }

    @Test
    void sessionTrackingByUrlOrSslFailsStartUpNamingTheTrackingModes() {
        runner.withPropertyValues("server.servlet.session.tracking-modes=cookie,url")
                .run(failsNaming("server.servlet.session.tracking-modes"));
        runner.withPropertyValues("server.servlet.session.tracking-modes=ssl")
                .run(failsNaming("server.servlet.session.tracking-modes"));
    }

    @Test
    void registeredJspServletOnTheClassPathFailsStartUpNamingServerServletJsp() {
        runner.withPropertyValues("server.servlet.jsp.class-name=" + FakeJspServlet.class.getName())
                .run(failsNaming("server.servlet.jsp.registered"));
        runner.withPropertyValues("server.servlet.jsp.class-name=" + FakeJspServlet.class.getName(),
                "server.servlet.jsp.registered=false").run(startsNetpoll());
    }

    @Test
    void everySettingThatCannotBeHonouredIsNamedInOneMessage() {
        runner.withPropertyValues("server.servlet.session.tracking-modes=url",
                "server.servlet.jsp.class-name=" + FakeJspServlet.class.getName())
                .run(failsNaming("server.servlet.session.tracking-modes", "server.servlet.jsp.registered"));
    }

    @Test
    void supportedSettingsStillStart() {
        runner.withPropertyValues("server.address=127.0.0.1", "server.http2.enabled=false",
                "server.compression.enabled=true", "server.server-header=netpoll", "server.shutdown=immediate",
                "server.max-http-request-header-size=16KB", "server.servlet.context-path=/app",
                "server.servlet.session.tracking-modes=cookie", "server.servlet.session.timeout=5m",
                "server.servlet.session.cookie.name=SID", "server.servlet.session.cookie.secure=true",
                "server.servlet.jsp.registered=true").run(startsNetpoll());
    }

    /** Stands in for Jasper's {@code JspServlet}: a JSP engine on the class path. */
    public static class FakeJspServlet extends HttpServlet {
    }
}
