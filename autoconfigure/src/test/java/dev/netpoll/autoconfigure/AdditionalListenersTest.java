package dev.netpoll.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.web.server.GracefulShutdownResult;
import org.springframework.boot.web.server.PortInUseException;
import org.springframework.boot.web.server.Shutdown;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.server.servlet.context.AnnotationConfigServletWebServerApplicationContext;

/** Additional listeners: more ports, one servlet context, one lifecycle. */
class AdditionalListenersTest {

    private final HttpClient client = HttpClient.newHttpClient();
    private WebServer server;

    @AfterEach
    void destroy() {
        if (server != null) {
            server.destroy();
        }
        client.close();
    }

    private static NetpollServletWebServerFactory factoryServingName() {
        var factory = new NetpollServletWebServerFactory(0);
        factory.setAddress(InetAddress.getLoopbackAddress());
        return factory;
    }

    private WebServer start(NetpollServletWebServerFactory factory) {
        server = factory.getWebServer(context -> context.addServlet("name", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                response.getWriter().write(request.getServletContext().getServletContextName() + " on " + request.getLocalPort());
            }
        }).addMapping("/"));
        server.start();
        return server;
    }

    private String get(int port) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                BodyHandlers.ofString()).body();
    }

    private static int additionalPort(WebServer server) {
        return ((NetpollWebServer) server).getHttpServer().addresses().get(1).getPort();
    }

    @Test
    void anAdditionalListenerServesTheSameApplicationAndGetPortStaysTheMainPort() throws Exception {
        var factory = factoryServingName();
        factory.setDisplayName("shop");
        factory.addAdditionalListeners(AdditionalListener.http(0));
        start(factory);
        int main = server.getPort();
        int additional = additionalPort(server);
        assertThat(additional).isNotEqualTo(main);
        assertThat(((NetpollWebServer) server).getHttpServer().addresses().get(0).getPort()).isEqualTo(main);
        assertThat(get(main)).isEqualTo("shop on " + main);
        assertThat(get(additional)).isEqualTo("shop on " + additional);
    }

    @Test
    void aTakenAdditionalPortFailsStartWithPortInUseExceptionNamingItAndLeavesNoPortOpen() throws Exception {
        try (var taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                var free = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int mainPort = free.getLocalPort();
            free.close();
            var factory = factoryServingName();
            factory.setPort(mainPort);
            factory.addAdditionalListeners(AdditionalListener.http(taken.getLocalPort()));
            assertThatExceptionOfType(PortInUseException.class).isThrownBy(() -> start(factory))
                    .satisfies(e -> assertThat(e.getPort()).isEqualTo(taken.getLocalPort()));
            assertThat(server.getPort()).isEqualTo(-1);
            assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), mainPort).close())
                    .isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void gracefulShutdownStopsAcceptingOnEveryPort() throws Exception {
        var factory = factoryServingName();
        factory.setShutdown(Shutdown.GRACEFUL);
        factory.addAdditionalListeners(AdditionalListener.http(0));
        start(factory);
        int main = server.getPort();
        int additional = additionalPort(server);
        var result = new AtomicReference<GracefulShutdownResult>();
        server.shutDownGracefully(result::set);
        await().atMost(Duration.ofSeconds(5)).until(() -> result.get() != null);
        assertThat(result.get()).isEqualTo(GracefulShutdownResult.IDLE);
        for (int port : new int[] { main, additional }) {
            assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
                    .as("port %d", port).isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void stopClosesEveryPortAndStartOpensThemAgain() throws Exception {
        var factory = factoryServingName();
        factory.addAdditionalListeners(AdditionalListener.http(0));
        start(factory);
        int additional = additionalPort(server);
        server.stop();
        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), additional).close())
                .isInstanceOf(ConnectException.class);
        server.start();
        assertThat(get(additionalPort(server))).startsWith("application on ");
    }

    @Test
    void aWebServerFactoryCustomizerBeanAddsAListenerToTheAutoConfiguredServer() {
        new WebApplicationContextRunner(AnnotationConfigServletWebServerApplicationContext::new)
                .withConfiguration(AutoConfigurations.of(NetpollServletWebServerAutoConfiguration.class))
                .withPropertyValues("server.port=0", "server.address=127.0.0.1")
                .withBean(WebServerFactoryCustomizer.class, () -> (WebServerFactoryCustomizer<NetpollServletWebServerFactory>)
                        factory -> factory.addAdditionalListeners(AdditionalListener.http(0)))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    var web = (NetpollWebServer) ((WebServerApplicationContext) context.getSourceApplicationContext())
                            .getWebServer();
                    assertThat(web.getHttpServer().addresses()).hasSize(2);
                    assertThat(web.getHttpServer().addresses().get(1).getAddress().isLoopbackAddress()).isTrue();
                });
    }
}
