package dev.netpoll.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.ServletException;
import java.net.MalformedURLException;
import java.net.URL;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A server made without server.servlet document root still has a root resource. */
class RootServletContextResourceTest {

    @Test
    void theServletContextRootResourceExistsWithoutADocumentRoot() {
        var root = new AtomicReference<URL>();
        var factory = new NetpollServletWebServerFactory(0);
        var server = factory.getWebServer(context -> {
            try {
                root.set(context.getResource("/"));
            } catch (MalformedURLException e) {
                throw new ServletException(e);
            }
        });
        try {
            server.start();
            assertThat(root.get()).isNotNull();
        } finally {
            server.destroy();
        }
    }
}
