package dev.netpoll.servlet;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.ServletRequestAttributeListener;
import jakarta.servlet.ServletRequestListener;
import jakarta.servlet.SessionCookieConfig;
import jakarta.servlet.SessionTrackingMode;
import jakarta.servlet.descriptor.JspConfigDescriptor;
import java.io.File;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Enumeration;
import java.util.EnumSet;
import java.util.EventListener;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one web application Netpoll serves (Jakarta Servlet 6.1): the {@link ServletContext} face
 * of its registrations, listeners, attributes, resources, MIME table, sessions and lifecycle, each
 * kept by a collaborator of its own.
 *
 * <p>Registrations are made while the context initializes, on the thread that calls the
 * initializers; {@link #initialize()} ends that phase, after which registration methods fail with
 * {@link IllegalStateException} as the specification requires, and request tasks only read.
 * Attributes are concurrent.
 */
public final class NetpollServletContext implements ServletContext {

    /** The server info string, {@code Netpoll/<version>}. */
    public static final String SERVER_INFO = "Netpoll/" + version();

    private final String contextPath;
    private final ApplicationClasses classes;
    private final Registrations registrations = new Registrations(this);
    private final SessionStore sessions = new SessionStore(this);
    private final ContextListeners listeners = new ContextListeners(sessions);
    private final ContextAttributes attributes = new ContextAttributes(this, listeners.attributeListeners());
    private final ContextResources resources;
    private final ContextLifecycle lifecycle;
    private final MimeTable mimeTypes = new MimeTable();
    private final LocaleEncodings localeEncodings = new LocaleEncodings();
    private final SessionConfig sessionConfig = new SessionConfig(this);
    private final ServletMapper mapper = new ServletMapper();
    private final ErrorPages errorPages = new ErrorPages();
    // Written while the context initializes, read-only afterwards.
    private final Map<String, String> initParameters = new LinkedHashMap<>();
    // Set while the server is built; read by request tasks.
    private volatile Pattern trustedProxies;
    // Set while the server is built; read by request tasks.
    private volatile SameSitePolicy sameSitePolicy = SameSitePolicy.NONE;
    private String displayName = "application";
    private String requestCharacterEncoding;
    private String responseCharacterEncoding;

    /** A context at {@code contextPath} ({@code ""} for the root, else {@code "/name"}). */
    public NetpollServletContext(String contextPath, ClassLoader classLoader) {
        if (!contextPath.isEmpty() && (!contextPath.startsWith("/") || contextPath.endsWith("/"))) {
            throw new IllegalArgumentException("context path must be empty or start, and not end, with '/': '"
                    + contextPath + "'");
        }
        this.contextPath = contextPath;
        this.classes = new ApplicationClasses(classLoader);
        this.resources = new ContextResources(classLoader);
        this.lifecycle = new ContextLifecycle(this, classes, registrations, listeners, sessions);
    }

    private static String version() {
        String version = NetpollServletContext.class.getPackage().getImplementationVersion();
        return version != null ? version : "0.1.0";
    }

    void checkInitializing() {
        lifecycle.checkInitializing();
    }

    ServletMapper mapper() {
        return mapper;
    }

    Registrations registrations() {
        return registrations;
    }

    SessionStore sessions() {
        return sessions;
    }

    List<ServletRequestListener> requestListeners() {
        return listeners.requestListeners();
    }

    List<ServletRequestAttributeListener> requestAttributeListeners() {
        return listeners.requestAttributeListeners();
    }

    /** Where sessions are persisted across restarts ({@code server.servlet.session.persistent}). */
    public void setSessionStoreDirectory(Path directory) {
        sessions.setStoreDirectory(directory);
    }

    /** How often idle sessions are looked for and invalidated (default 30 s). */
    public void setSessionExpiryInterval(Duration interval) {
        sessions.setSweepMillis(interval.toMillis());
    }

    public ErrorPages errorPages() {
        return errorPages;
    }

    /**
     * Registers the container's {@link DefaultServlet} as "default" on "/"; an application servlet
     * mapped to "/" later (Spring's DispatcherServlet) takes the mapping, the name stays usable
     * through {@link #getNamedDispatcher}.
     */
    public void addDefaultServlet() {
        var entry = (ServletEntry) addServlet("default", new DefaultServlet());
        entry.markOverridable();
        entry.addMapping("/");
        entry.setLoadOnStartup(1);
    }

    /**
     * Applies forwarded headers from proxies matching {@code trusted} (null turns it off):
     * {@code server.forward-headers-strategy=native}.
     */
    public void setForwardedHeaders(Pattern trusted) {
        trustedProxies = trusted;
    }

    /** Tomcat's default trusted-proxy pattern: loopback, link-local and private addresses. */
    public static Pattern defaultTrustedProxies() {
        return ForwardedHeaders.DEFAULT_TRUSTED;
    }

    ForwardedHeaders forwarded(dev.netpoll.http.HttpRequest http) {
        Pattern trusted = trustedProxies;
        return trusted == null ? ForwardedHeaders.NONE : ForwardedHeaders.of(http, trusted);
    }

    /** Decides the SameSite attribute of the cookies the container writes; {@link SameSitePolicy#NONE} by default. */
    public void setSameSitePolicy(SameSitePolicy policy) {
        checkInitializing();
        sameSitePolicy = policy == null ? SameSitePolicy.NONE : policy;
    }

    SameSitePolicy sameSitePolicy() {
        return sameSitePolicy;
    }

    public void setDisplayName(String name) {
        displayName = name;
    }

    public void setDocumentRoot(File root) {
        resources.setDocumentRoot(root);
    }

    /** Adds to the MIME table (or replaces the type of {@code extension}, matched case-insensitively). */
    public void addMimeMapping(String extension, String mimeType) {
        checkInitializing();
        mimeTypes.add(extension, mimeType);
    }

    /**
     * Replaces the whole MIME table, the container's defaults included: Spring Boot's factory passes
     * its complete table ({@code MimeMappings.DEFAULT} plus {@code server.mime-mappings}), and
     * {@link #getMimeType} must answer exactly from it, as Tomcat and Jetty do.
     */
    public void setMimeMappings(Map<String, String> mappings) {
        checkInitializing();
        mimeTypes.replaceWith(mappings);
    }

    /** The MIME table, extension (lower case) to type; read-only. */
    public Map<String, String> getMimeMappings() {
        return mimeTypes.asMap();
    }

    /**
     * Maps {@code locale} to the charset {@code HttpServletResponse.setLocale} gives a response that
     * has none set explicitly (the deployment descriptor's locale-encoding-mapping; Spring Boot's
     * {@code server.servlet.encoding.mapping.*}).
     */
    public void addLocaleEncoding(Locale locale, Charset charset) {
        checkInitializing();
        localeEncodings.add(locale, charset);
    }

    Charset localeEncoding(Locale locale) {
        return localeEncodings.charsetFor(locale);
    }

    /**
     * Ends registration, as Tomcat's context does when it starts inside {@code getWebServer}: the
     * context listeners are told the context is initialized (they may still register), then every
     * registration method fails (Servlet 6.1 section 4.4). Persisted sessions are read back here,
     * as Tomcat's session manager does, so that a server destroyed without being started writes
     * them out again instead of an empty store. Servlets and filters are not initialized yet: that
     * is {@link #start()}. Idempotent; runs on the thread that built the context, with the
     * application's class loader as its context class loader.
     */
    public void initialize() throws ServletException {
        lifecycle.initialize();
    }

    /**
     * Makes the context ready to serve: {@link #initialize()} if not done yet, then every
     * registered filter, mapped or not, in registration order, then the servlets that load on
     * startup (in their order). The first failure propagates and leaves the context unstarted.
     * Once started, later calls do nothing (a server restarted after {@code stop} keeps its
     * initialized servlets). Same thread and class loader as initialize.
     */
    public void start() throws ServletException {
        lifecycle.start();
    }

    /** Destroys servlets and filters and notifies context listeners, in reverse order. */
    public void stop() {
        lifecycle.stop();
    }

    @Override
    public String getContextPath() {
        return contextPath;
    }

    @Override
    public ServletContext getContext(String uripath) {
        return uripath != null && (uripath.equals(contextPath) || uripath.startsWith(contextPath + "/")) ? this : null;
    }

    @Override
    public int getMajorVersion() {
        return 6;
    }

    @Override
    public int getMinorVersion() {
        return 1;
    }

    @Override
    public int getEffectiveMajorVersion() {
        return 6;
    }

    @Override
    public int getEffectiveMinorVersion() {
        return 1;
    }

    @Override
    public String getMimeType(String file) {
        return mimeTypes.typeOf(file);
    }

    @Override
    public Set<String> getResourcePaths(String path) {
        return resources.paths(path);
    }

    @Override
    public URL getResource(String path) throws MalformedURLException {
        return resources.find(path);
    }

    @Override
    public InputStream getResourceAsStream(String path) {
        return resources.open(path);
    }

    @Override
    public RequestDispatcher getRequestDispatcher(String path) {
        if (path == null || !path.startsWith("/")) {
            return null;
        }
        return new Dispatcher(this, path, null);
    }

    @Override
    public RequestDispatcher getNamedDispatcher(String name) {
        ServletEntry servlet = registrations.servlet(name);
        return servlet == null ? null : new Dispatcher(this, null, servlet);
    }

    @Override
    public void log(String msg) {
        System.getLogger(NetpollServletContext.class.getName()).log(System.Logger.Level.INFO, msg);
    }

    @Override
    public void log(String message, Throwable throwable) {
        System.getLogger(NetpollServletContext.class.getName()).log(System.Logger.Level.ERROR, message, throwable);
    }

    @Override
    public String getRealPath(String path) {
        return resources.realPath(path);
    }

    @Override
    public String getServerInfo() {
        return SERVER_INFO;
    }

    @Override
    public String getInitParameter(String name) {
        return initParameters.get(name);
    }

    @Override
    public Enumeration<String> getInitParameterNames() {
        return Collections.enumeration(initParameters.keySet());
    }

    @Override
    public boolean setInitParameter(String name, String value) {
        if (name == null) {
            throw new NullPointerException("init parameter name must not be null");
        }
        checkInitializing();
        return initParameters.putIfAbsent(name, value) == null;
    }

    @Override
    public Object getAttribute(String name) {
        return attributes.get(name);
    }

    @Override
    public Enumeration<String> getAttributeNames() {
        return attributes.names();
    }

    @Override
    public void setAttribute(String name, Object object) {
        attributes.set(name, object);
    }

    @Override
    public void removeAttribute(String name) {
        attributes.remove(name);
    }

    @Override
    public String getServletContextName() {
        return displayName;
    }

    @Override
    public ServletRegistration.Dynamic addServlet(String servletName, String className) {
        return addServlet(servletName, classes.load(className, Servlet.class));
    }

    @Override
    public ServletRegistration.Dynamic addServlet(String servletName, Servlet servlet) {
        checkInitializing();
        return registrations.addServlet(servletName, servlet, null);
    }

    @Override
    public ServletRegistration.Dynamic addServlet(String servletName, Class<? extends Servlet> servletClass) {
        checkInitializing();
        return registrations.addServlet(servletName, null, servletClass);
    }

    @Override
    public ServletRegistration.Dynamic addJspFile(String servletName, String jspFile) {
        throw new UnsupportedOperationException("JSP is not supported by Netpoll");
    }

    @Override
    public <T extends Servlet> T createServlet(Class<T> type) throws ServletException {
        return ApplicationClasses.instantiate(type);
    }

    @Override
    public ServletRegistration getServletRegistration(String servletName) {
        return registrations.servlet(servletName);
    }

    @Override
    public Map<String, ? extends ServletRegistration> getServletRegistrations() {
        return registrations.servlets();
    }

    @Override
    public FilterRegistration.Dynamic addFilter(String filterName, String className) {
        return addFilter(filterName, classes.load(className, Filter.class));
    }

    @Override
    public FilterRegistration.Dynamic addFilter(String filterName, Filter filter) {
        checkInitializing();
        return registrations.addFilter(filterName, filter, null);
    }

    @Override
    public FilterRegistration.Dynamic addFilter(String filterName, Class<? extends Filter> filterClass) {
        checkInitializing();
        return registrations.addFilter(filterName, null, filterClass);
    }

    @Override
    public <T extends Filter> T createFilter(Class<T> type) throws ServletException {
        return ApplicationClasses.instantiate(type);
    }

    @Override
    public FilterRegistration getFilterRegistration(String filterName) {
        return registrations.filter(filterName);
    }

    @Override
    public Map<String, ? extends FilterRegistration> getFilterRegistrations() {
        return registrations.filters();
    }

    @Override
    public SessionCookieConfig getSessionCookieConfig() {
        return sessionConfig.cookie();
    }

    @Override
    public void setSessionTrackingModes(Set<SessionTrackingMode> modes) {
        checkInitializing();
        sessionConfig.setTrackingModes(modes);
    }

    @Override
    public Set<SessionTrackingMode> getDefaultSessionTrackingModes() {
        return EnumSet.of(SessionTrackingMode.COOKIE);
    }

    @Override
    public Set<SessionTrackingMode> getEffectiveSessionTrackingModes() {
        return sessionConfig.trackingModes();
    }

    @Override
    public void addListener(String className) {
        addListener(classes.load(className, EventListener.class));
    }

    @Override
    public <T extends EventListener> void addListener(T listener) {
        checkInitializing();
        listeners.add(listener);
    }

    @Override
    public void addListener(Class<? extends EventListener> listenerClass) {
        try {
            addListener(createListener(listenerClass));
        } catch (ServletException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    @Override
    public <T extends EventListener> T createListener(Class<T> type) throws ServletException {
        return ApplicationClasses.instantiate(type);
    }

    @Override
    public JspConfigDescriptor getJspConfigDescriptor() {
        return null;
    }

    @Override
    public ClassLoader getClassLoader() {
        return classes.loader();
    }

    @Override
    public void declareRoles(String... roleNames) {
        checkInitializing();
    }

    @Override
    public String getVirtualServerName() {
        return "netpoll";
    }

    @Override
    public int getSessionTimeout() {
        return sessionConfig.timeoutMinutes();
    }

    @Override
    public void setSessionTimeout(int minutes) {
        checkInitializing();
        sessionConfig.setTimeoutMinutes(minutes);
    }

    @Override
    public String getRequestCharacterEncoding() {
        return requestCharacterEncoding;
    }

    @Override
    public void setRequestCharacterEncoding(String encoding) {
        checkInitializing();
        requestCharacterEncoding = encoding;
    }

    @Override
    public String getResponseCharacterEncoding() {
        return responseCharacterEncoding;
    }

    @Override
    public void setResponseCharacterEncoding(String encoding) {
        checkInitializing();
        responseCharacterEncoding = encoding;
    }
}
