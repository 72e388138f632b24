package dev.netpoll.autoconfigure;

import dev.netpoll.servlet.NetpollServletContext;
import jakarta.servlet.ServletRequest;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.autoconfigure.condition.SearchStrategy;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.boot.web.server.autoconfigure.servlet.ServletWebServerConfiguration;
import org.springframework.boot.web.server.servlet.ServletWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * Auto-configuration of Netpoll as the servlet web server. Ordered before Tomcat's and Jetty's so
 * that theirs back off when Netpoll is on the class path too; a {@link ServletWebServerFactory}
 * bean of the application's own still wins.
 *
 * @since 0.1.0
 */
@AutoConfiguration(beforeName = {
        "org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration",
        "org.springframework.boot.jetty.autoconfigure.servlet.JettyServletWebServerAutoConfiguration" })
@ConditionalOnClass({ ServletRequest.class, NetpollServletContext.class })
@ConditionalOnWebApplication(type = Type.SERVLET)
@EnableConfigurationProperties({ NetpollServerProperties.class, ServerProperties.class })
@Import(ServletWebServerConfiguration.class)
public final class NetpollServletWebServerAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(value = ServletWebServerFactory.class, search = SearchStrategy.CURRENT)
    NetpollServletWebServerFactory netpollServletWebServerFactory() {
        return new NetpollServletWebServerFactory();
    }

    @Bean
    @ConditionalOnMissingBean
    NetpollServers netpollServers() {
        return new NetpollServers();
    }

    @Bean
    NetpollWebServerFactoryCustomizer netpollWebServerFactoryCustomizer(ServerProperties server,
            NetpollServerProperties netpoll) {
        return new NetpollWebServerFactoryCustomizer(server, netpoll);
    }
}
