package dev.netpoll.autoconfigure.actuate;

import dev.netpoll.autoconfigure.NetpollServletWebServerAutoConfiguration;
import dev.netpoll.servlet.NetpollServletContext;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.actuate.autoconfigure.web.server.ConditionalOnManagementPort;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementContextFactory;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.web.server.servlet.ServletWebServerFactory;
import org.springframework.context.annotation.Bean;

/**
 * {@code management.server.port}: Actuator's child context gets a Netpoll server of its own (a
 * fresh {@code NetpollServletWebServerFactory}), told apart in the metrics by
 * {@code server=management}. Tomcat's and Jetty's modules define the same bean: with one of them
 * also on the class path, exclude its {@code ...ServletManagementContextAutoConfiguration}.
 *
 * @since 0.1.0
 */
@AutoConfiguration
@ConditionalOnClass({ NetpollServletContext.class, ManagementContextFactory.class })
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnManagementPort(ManagementPortType.DIFFERENT)
public final class NetpollServletManagementContextAutoConfiguration {

    @Bean
    static ManagementContextFactory servletWebChildContextFactory() {
        return new ManagementContextFactory(WebApplicationType.SERVLET, ServletWebServerFactory.class,
                NetpollServletWebServerAutoConfiguration.class);
    }
}
