package dev.netpoll.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.web.server.PortInUseException;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.WebServerException;

/**
 * A port that cannot be bound fails start-up with the exception that says why: only a port
 * already in use is a {@link PortInUseException}, on both transports.
 */
class BindFailureTest {

    private static WebServer start(NetpollServletWebServerFactory factory) {
        WebServer server = factory.getWebServer();
        try {
            server.start();
        } catch (RuntimeException e) {
            server.destroy();
            throw e;
        }
        return server;
    }

    @ParameterizedTest
    @ValueSource(strings = { "epoll", "nio" })
    void anAddressThatIsNotOnThisHostFailsStartWithAMessageNamingServerAddressNotPortInUse(String transport)
            throws Exception {
        var factory = new NetpollServletWebServerFactory(0);
        factory.setTransport(transport);
        // TEST-NET-1 (RFC 5737): documentation only, assigned to no interface.
        factory.setAddress(InetAddress.getByName("192.0.2.1"));
        assertThatExceptionOfType(WebServerException.class).isThrownBy(() -> start(factory))
                .isNotInstanceOf(PortInUseException.class)
                .withMessageContaining("192.0.2.1 is not an address of this host")
                .withMessageContaining("server.address");
    }

    @ParameterizedTest
    @ValueSource(strings = { "epoll", "nio" })
    void aPortAlreadyInUseFailsStartWithPortInUseExceptionNamingThePort(String transport) throws Exception {
        try (var taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            var factory = new NetpollServletWebServerFactory(taken.getLocalPort());
            factory.setTransport(transport);
            factory.setAddress(InetAddress.getLoopbackAddress());
            assertThatExceptionOfType(PortInUseException.class).isThrownBy(() -> start(factory))
                    .satisfies(e -> assertThat(e.getPort()).isEqualTo(taken.getLocalPort()));
        }
    }
}
