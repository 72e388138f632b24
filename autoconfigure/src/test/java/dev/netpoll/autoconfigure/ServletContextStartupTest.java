package dev.netpoll.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.WebServerException;
import org.springframework.core.io.DefaultResourceLoader;

/**
 * The servlet context is built in {@code getWebServer} and started in {@code start()}, as on
 * Tomcat: initializers and context listeners run first; filters (every one, mapped or not) and
 * load-on-startup servlets initialize when the server starts, with the application's class loader
 * as the thread context class loader, and a failing init fails {@code start()}.
 */
class ServletContextStartupTest {

    private final List<String> events = new ArrayList<>();
    private WebServer server;

    @AfterEach
    void destroy() {
        if (server != null) {
            server.destroy();
        }
    }

    private static NetpollServletWebServerFactory factory() {
        return new NetpollServletWebServerFactory(0);
    }

    @Test
    void loadOnStartupServletsInitializeWhenTheServerStartsAfterTheContextListeners() {
        server = factory().getWebServer(context -> {
            context.addListener(new ServletContextListener() {
                @Override
                public void contextInitialized(ServletContextEvent event) {
                    events.add("listener");
                }
            });
            context.addServlet("eager", new HttpServlet() {
                @Override
                public void init() {
                    events.add("servlet");
                }
            }).setLoadOnStartup(1);
        });
        assertThat(events).containsExactly("listener");
        server.start();
        assertThat(events).containsExactly("listener", "servlet");
    }

    @Test
    void aServletWhoseInitThrowsFailsStartWithAWebServerExceptionCarryingTheCause() {
        var failure = new IllegalStateException("no database");
        server = factory().getWebServer(context -> context.addServlet("failing", new HttpServlet() {
            @Override
            public void init() {
                throw failure;
            }
        }).setLoadOnStartup(0));
        assertThatExceptionOfType(WebServerException.class).isThrownBy(server::start)
                .withMessageContaining("servlet 'failing'").withMessageContaining("no database")
                .havingRootCause().isSameAs(failure);
        assertThat(server.getPort()).isEqualTo(-1);
    }

    @Test
    void aFilterThatIsRegisteredButNotMappedIsInitializedWhenTheServerStarts() {
        var filter = new RecordingFilter(null);
        server = factory().getWebServer(context -> context.addFilter("unmapped", filter));
        assertThat(filter.initialized).isFalse();
        server.start();
        assertThat(filter.initialized).isTrue();
    }

    @Test
    void aFaultyFilterFailsStartEvenWhenItIsNotMapped() {
        var filter = new RecordingFilter(new ServletException("faulty filter"));
        server = factory().getWebServer(context -> context.addFilter("faulty", filter));
        assertThatExceptionOfType(WebServerException.class).isThrownBy(server::start)
                .withMessageContaining("filter 'faulty'").withMessageContaining("faulty filter")
                .havingRootCause().isSameAs(filter.failure);
    }

    @Test
    void listenersFiltersAndServletsInitializeWithTheApplicationsClassLoaderAsContextClassLoader() throws Exception {
        try (var application = new URLClassLoader(new URL[0], getClass().getClassLoader())) {
            var factory = factory();
            factory.setResourceLoader(new DefaultResourceLoader(application));
            var seen = new ArrayList<ClassLoader>();
            var filter = new RecordingFilter(null) {
                @Override
                public void init(FilterConfig config) {
                    seen.add(Thread.currentThread().getContextClassLoader());
                }
            };
            server = factory.getWebServer(context -> {
                context.addListener(new ServletContextListener() {
                    @Override
                    public void contextInitialized(ServletContextEvent event) {
                        seen.add(Thread.currentThread().getContextClassLoader());
                    }
                });
                context.addFilter("capturing", filter);
                context.addServlet("capturing", new HttpServlet() {
                    @Override
                    public void init() {
                        seen.add(Thread.currentThread().getContextClassLoader());
                    }
                }).setLoadOnStartup(0);
            });
            server.start();
            assertThat(seen).hasSize(3).containsOnly(application);
            assertThat(Thread.currentThread().getContextClassLoader()).isNotSameAs(application);
        }
    }

    /** A filter that records its init, or fails it with {@code failure}. */
    private static class RecordingFilter implements Filter {

        final ServletException failure;
        volatile boolean initialized;

        RecordingFilter(ServletException failure) {
            this.failure = failure;
        }

        @Override
        public void init(FilterConfig config) throws ServletException {
            if (failure != null) {
                throw failure;
            }
            initialized = true;
        }

        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            chain.doFilter(request, response);
        }
    }
}
