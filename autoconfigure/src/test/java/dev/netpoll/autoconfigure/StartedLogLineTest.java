package dev.netpoll.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The started line has the shape of Tomcat's and Jetty's, which tools and people grep for; what
 * only Netpoll has to say (transport, connection limit) is on a line of its own.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartedLogLineTest {

    private static ConfigurableApplicationContext run(SpringApplication application, String... properties) {
        String[] args = new String[properties.length + 2];
        args[0] = "--server.port=0";
        args[1] = "--spring.main.banner-mode=off";
        System.arraycopy(properties, 0, args, 2, properties.length);
        return application.run(args);
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    @Test
    void aSinglePortIsLoggedAsTomcatAndJettyLogItWithTheTransportOnALineOfItsOwn(CapturedOutput output) {
        try (var context = run(new SpringApplication(SampleApplication.class))) {
            assertThat(output.getOut())
                    .containsPattern("(?m)Netpoll started on port " + port(context) + " \\(http\\) with context path '/'$")
                    .containsPattern("(?m)Netpoll using the (epoll|nio) transport, at most \\d+ connections \\(.*\\)$");
        }
    }

    @Test
    void theContextPathEndsTheLine(CapturedOutput output) {
        try (var context = run(new SpringApplication(SampleApplication.class), "--server.servlet.context-path=/shop")) {
            assertThat(output.getOut())
                    .containsPattern("(?m)Netpoll started on port " + port(context) + " \\(http\\) with context path '/shop'$");
        }
    }

    @Test
    void additionalPortsAreListedAfterTheMainOne(CapturedOutput output) {
        var application = new SpringApplication(SampleApplication.class);
        application.addInitializers(context -> context.getBeanFactory().registerSingleton("extraPort",
                (WebServerFactoryCustomizer<NetpollServletWebServerFactory>) factory ->
                        factory.addAdditionalListeners(AdditionalListener.http(0))));
        try (var context = run(application)) {
            var server = (NetpollWebServer) ((WebServerApplicationContext) context).getWebServer();
            List<InetSocketAddress> bound = server.getHttpServer().addresses();
            assertThat(bound).hasSize(2);
            assertThat(output.getOut()).containsPattern("(?m)Netpoll started on ports " + server.getPort() + " \\(http\\), "
                    + bound.get(1).getPort() + " \\(http\\) with context path '/'$");
        }
    }
}
