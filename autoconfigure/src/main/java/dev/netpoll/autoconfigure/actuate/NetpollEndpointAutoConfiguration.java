package dev.netpoll.autoconfigure.actuate;

import dev.netpoll.autoconfigure.NetpollServers;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code netpoll} actuator endpoint, available when Actuator is present and the endpoint is
 * exposed ({@code management.endpoints.web.exposure.include}), as other endpoints are.
 *
 * @since 0.1.0
 */
@AutoConfiguration(afterName = "dev.netpoll.autoconfigure.NetpollServletWebServerAutoConfiguration")
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean(NetpollServers.class)
@ConditionalOnAvailableEndpoint(NetpollEndpoint.class)
public final class NetpollEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    NetpollEndpoint netpollEndpoint(NetpollServers servers) {
        return new NetpollEndpoint(servers);
    }
}
