package dev.netpoll.autoconfigure;

import dev.netpoll.http.HttpConfig;
import dev.netpoll.http.ResponseCompression;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.springframework.boot.web.server.Compression;
import org.springframework.boot.web.server.Cookie;
import dev.netpoll.servlet.NetpollServletContext;
import dev.netpoll.websocket.NetpollServerContainer;
import dev.netpoll.websocket.WebSocketSettings;
import jakarta.servlet.ServletException;
import java.io.File;
import java.time.Duration;
import org.springframework.boot.web.error.ErrorPage;
import org.springframework.boot.web.server.AbstractConfigurableWebServerFactory;
import org.springframework.boot.web.server.MimeMappings;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.WebServerException;
import org.springframework.boot.web.server.servlet.ConfigurableServletWebServerFactory;
import org.springframework.boot.web.server.servlet.ServletContextInitializers;
import org.springframework.boot.web.server.servlet.ServletWebServerSettings;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.context.ResourceLoaderAware;
import org.springframework.core.io.ResourceLoader;
import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;

/**
 * Creates {@link NetpollWebServer}s: builds the servlet context, runs Spring's initializers in it
 * (registering the {@code DispatcherServlet}, filters and listeners) and tells its listeners it is
 * initialized, then hands it to a server that initializes the filters and servlets and opens its
 * ports on {@code start()}, as Tomcat does. Unless configured otherwise it listens on port 8080;
 * {@link #addAdditionalListeners} adds more ports serving the same application.
 *
 * <p>Has a public no-arg constructor: Spring Boot's management child context instantiates a fresh
 * factory of this class for {@code management.server.port}.
 *
 * @since 0.1.0
 */
public class NetpollServletWebServerFactory extends AbstractConfigurableWebServerFactory
        implements ConfigurableServletWebServerFactory, ResourceLoaderAware {

    private final ServletWebServerSettings settings = new ServletWebServerSettings();
    private ResourceLoader resourceLoader;
    private String transport = "auto";
    private int pollerThreads = 1;
    private HttpConfig httpConfig = HttpConfig.DEFAULTS;
    private WebSocketSettings webSocketSettings = WebSocketSettings.DEFAULTS;
    private dev.netpoll.http2.Http2Config http2Config = dev.netpoll.http2.Http2Config.DEFAULTS;
    private java.util.regex.Pattern trustedProxies;
    private AccessLogSettings accessLog;
    private final List<AdditionalListener> additionalListeners = new ArrayList<>();

    public NetpollServletWebServerFactory() {
    }

    public NetpollServletWebServerFactory(int port) {
        super(port);
    }

    @Override
    public ServletWebServerSettings getSettings() {
        return settings;
    }

    @Override
    public void setResourceLoader(ResourceLoader resourceLoader) {
        this.resourceLoader = resourceLoader;
    }

    /** {@code epoll}, {@code nio} or {@code auto}. */
    public void setTransport(String transport) {
        Assert.hasText(transport, "'transport' must not be empty");
        this.transport = transport;
    }

    public String getTransport() {
        return transport;
    }

    public void setPollerThreads(int pollerThreads) {
        Assert.isTrue(pollerThreads >= 1, "'pollerThreads' must be at least 1");
        this.pollerThreads = pollerThreads;
    }

    public int getPollerThreads() {
        return pollerThreads;
    }

    /** The engine's limits and timeouts; the server header comes from {@link #setServerHeader}. */
    public void setHttpConfig(HttpConfig httpConfig) {
        Assert.notNull(httpConfig, "'httpConfig' must not be null");
        this.httpConfig = httpConfig;
    }

    /** HTTP/2's limits ({@code server.netpoll.http2.*}), used when {@code server.http2.enabled} is true. */
    public void setHttp2Config(dev.netpoll.http2.Http2Config http2Config) {
        Assert.notNull(http2Config, "'http2Config' must not be null");
        this.http2Config = http2Config;
    }

    public dev.netpoll.http2.Http2Config getHttp2Config() {
        return http2Config;
    }

    public HttpConfig getHttpConfig() {
        return httpConfig;
    }

    /** Writes an access log with these settings; null (the default) for none. */
    public void setAccessLog(AccessLogSettings settings) {
        this.accessLog = settings;
    }

    /** Limits of WebSocket sessions (server.netpoll.websocket.*). */
    public void setWebSocketSettings(WebSocketSettings settings) {
        Assert.notNull(settings, "'settings' must not be null");
        this.webSocketSettings = settings;
    }

    public WebSocketSettings getWebSocketSettings() {
        return webSocketSettings;
    }

    /** Applies forwarded headers from proxies matching {@code trusted}; null (the default) ignores them. */
    public void setTrustedProxies(java.util.regex.Pattern trusted) {
        this.trustedProxies = trusted;
    }

    /**
     * Listens on these ports too, each serving plain HTTP to the same servlet context as
     * {@code server.port}; {@link WebServer#getPort()} still returns the main port. Binding any of
     * them fails start-up as the main port would (a port already in use is a
     * {@link org.springframework.boot.web.server.PortInUseException} naming it). Graceful
     * shutdown and stop cover them all.
     */
    public void addAdditionalListeners(AdditionalListener... listeners) {
        Assert.notNull(listeners, "'listeners' must not be null");
        Assert.noNullElements(listeners, "'listeners' must not contain null elements");
        additionalListeners.addAll(Arrays.asList(listeners));
    }

    /** The listeners added besides {@code server.port}, in the order they bind. */
    public List<AdditionalListener> getAdditionalListeners() {
        return List.copyOf(additionalListeners);
    }

    @Override
    public WebServer getWebServer(ServletContextInitializer... initializers) {
        // Before anything is built: a setting we cannot honour must not leave a half-made server.
        UnsupportedSettings.refuseIfRequested(this);
        ClassLoader classLoader = resourceLoader != null ? resourceLoader.getClassLoader() : ClassUtils.getDefaultClassLoader();
        var context = new NetpollServletContext(settings.getContextPath().toString(), classLoader);
        configure(context);
        if (WebSocketSupport.present()) {
            // Before the initializers: ServerEndpointExporter and Spring's handshake handler find
            // the container as a context attribute during the application's start-up.
            NetpollServerContainer.install(context, webSocketSettings);
        }
        try {
            for (ServletContextInitializer initializer : ServletContextInitializers.from(settings, initializers)) {
                initializer.onStartup(context);
            }
            for (String listener : settings.getWebListenerClassNames()) {
                context.addListener(listener);
            }
            // Listeners learn the context is initialized now; filters and servlets init in start().
            context.initialize();
        } catch (ServletException | RuntimeException e) {
            throw new WebServerException("Unable to initialize the Netpoll servlet context: " + e.getMessage(), e);
        }
        HttpConfig.Builder config = httpConfig.toBuilder();
        if (getServerHeader() != null) {
            config.serverHeader(getServerHeader());
        }
        Compression compression = getCompression();
        if (compression != null && compression.getEnabled()) {
            config.compression(new ResponseCompression(true, CompressedMimeTypes.of(compression),
                    compression.getMinResponseSize().toBytes(),
                    compression.getExcludedUserAgents() == null ? List.of() : List.of(compression.getExcludedUserAgents())));
        }
        var server = new NetpollWebServer(context, config.build(), transport, pollerThreads, getAddress(), getPort(), getShutdown());
        server.setAccessLog(accessLog);
        server.setAdditionalListeners(additionalListeners);
        boolean http2 = getHttp2() != null && getHttp2().isEnabled();
        // HTTP/2: h2 offered first by ALPN on the TLS port, h2c on cleartext ones (prior
        // knowledge or Upgrade), as Tomcat and Jetty do with server.http2.enabled.
        server.setTls(WebServerTls.of(getSsl(), getSslBundles(), http2 ? List.of("h2", "http/1.1") : List.of("http/1.1")));
        if (http2) {
            server.setNextProtocol(new dev.netpoll.http2.Http2Protocol(http2Config, true));
        }
        return server;
    }

    private void configure(NetpollServletContext context) {
        if (settings.getDisplayName() != null) {
            context.setDisplayName(settings.getDisplayName());
        }
        File documentRoot = settings.getDocumentRoot();
        if (documentRoot != null) {
            context.setDocumentRoot(documentRoot);
        }
        // Boot's table is complete (its defaults plus server.mime-mappings): it replaces the engine's own.
        var mimeMappings = new java.util.LinkedHashMap<String, String>();
        for (MimeMappings.Mapping mapping : settings.getMimeMappings()) {
            mimeMappings.put(mapping.getExtension(), mapping.getMimeType());
        }
        context.setMimeMappings(mimeMappings);
        settings.getInitParameters().forEach(context::setInitParameter);
        settings.getLocaleCharsetMappings().forEach(context::addLocaleEncoding);
        context.setForwardedHeaders(trustedProxies);
        if (settings.isRegisterDefaultServlet()) {
            context.addDefaultServlet();
        }
        if (settings.getSession().isPersistent()) {
            context.setSessionStoreDirectory(settings.getSession().getSessionStoreDirectory().getValidDirectory(true).toPath());
        }
        // Boot's session initializer sets every cookie attribute but SameSite, which each server
        // applies itself (Tomcat through its cookie processor).
        Cookie.SameSite sameSite = settings.getSession().getCookie().getSameSite();
        if (sameSite != null) {
            context.getSessionCookieConfig().setAttribute("SameSite", sameSite.attributeValue());
        }
        context.setSameSitePolicy(SuppliedSameSitePolicy.of(settings, context));
        Duration sessionTimeout = settings.getSession().getTimeout();
        if (sessionTimeout != null && !sessionTimeout.isNegative()) {
            context.setSessionTimeout((int) Math.max(1, sessionTimeout.toMinutes()));
        }
        for (ErrorPage page : getErrorPages()) {
            if (page.isGlobal()) {
                context.errorPages().setGlobal(page.getPath());
            } else if (page.getException() != null) {
                context.errorPages().addForException(page.getException(), page.getPath());
            } else {
                context.errorPages().addForStatus(page.getStatusCode(), page.getPath());
            }
        }
    }
}
