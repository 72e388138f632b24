package dev.netpoll.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.servlet.ServletWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class AutoConfigurationTest {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner().withConfiguration(
            AutoConfigurations.of(NetpollServletWebServerAutoConfiguration.class, TomcatServletWebServerAutoConfiguration.class));

    @Test
    void netpollIsChosenBeforeTomcat() {
        runner.run(context -> assertThat(context).getBean(ServletWebServerFactory.class)
                .isInstanceOf(NetpollServletWebServerFactory.class));
    }

    @Test
    void applicationsOwnFactoryWins() {
        runner.withUserConfiguration(OwnFactory.class).run(context -> assertThat(context)
                .getBean(ServletWebServerFactory.class).isInstanceOf(TomcatServletWebServerFactory.class));
    }

    @Test
    void netpollPropertiesReachTheFactory() {
        runner.withPropertyValues("server.netpoll.transport=nio", "server.netpoll.poller-threads=2",
                "server.netpoll.idle-timeout=5s", "server.netpoll.max-connections=100", "server.netpoll.max-body-size=1MB",
                "server.netpoll.defer-accept=3s")
                .run(context -> {
                    var factory = context.getBean(NetpollServletWebServerFactory.class);
                    context.getBean(NetpollWebServerFactoryCustomizer.class).customize(factory);
                    assertThat(factory.getTransport()).isEqualTo("nio");
                    assertThat(factory.getPollerThreads()).isEqualTo(2);
                    assertThat(factory.getHttpConfig().idleTimeout()).isEqualTo(Duration.ofSeconds(5));
                    assertThat(factory.getHttpConfig().maxConnections()).isEqualTo(100);
                    assertThat(factory.getHttpConfig().maxBodySize()).isEqualTo(1024 * 1024);
                    assertThat(factory.getHttpConfig().deferAccept()).isEqualTo(Duration.ofSeconds(3));
                });
    }

    @Test
    void acceptIsNotDeferredByDefault() {
        runner.run(context -> {
            var factory = context.getBean(NetpollServletWebServerFactory.class);
            context.getBean(NetpollWebServerFactoryCustomizer.class).customize(factory);
            assertThat(factory.getHttpConfig().deferAccept()).isZero();
        });
    }

    @Test
    void aNegativeOrHugeDeferralFailsNamingTheProperty() {
        for (String value : new String[] {"-1s", "2h"}) {
            runner.withPropertyValues("server.netpoll.defer-accept=" + value).run(context -> {
                assertThat(context).hasFailed();
                assertThat(context.getStartupFailure()).rootCause()
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("server.netpoll.defer-accept");
            });
        }
    }

    @Test
    void webSocketSessionsHaveAnIdleTimeoutByDefault() {
        // A peer that vanishes without a FIN must not hold a task, a descriptor and a session
        // slot forever: by default ten minutes with no frame either way end the session.
        runner.run(context -> {
            var factory = context.getBean(NetpollServletWebServerFactory.class);
            context.getBean(NetpollWebServerFactoryCustomizer.class).customize(factory);
            assertThat(factory.getWebSocketSettings().idleTimeout()).isEqualTo(Duration.ofMinutes(10));
        });
        runner.withPropertyValues("server.netpoll.websocket.idle-timeout=0").run(context -> {
            var factory = context.getBean(NetpollServletWebServerFactory.class);
            context.getBean(NetpollWebServerFactoryCustomizer.class).customize(factory);
            assertThat(factory.getWebSocketSettings().idleTimeout()).isZero();
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnFactory {

        @Bean
        TomcatServletWebServerFactory tomcat() {
            return new TomcatServletWebServerFactory(0);
        }
    }
}
