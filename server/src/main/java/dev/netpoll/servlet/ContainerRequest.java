package dev.netpoll.servlet;

import dev.netpoll.http.HttpRequest;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletConnection;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestAttributeEvent;
import jakarta.servlet.ServletRequestAttributeListener;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.servlet.http.MappingMatch;
import jakarta.servlet.http.Part;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UnsupportedEncodingException;
import java.net.InetSocketAddress;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.security.Principal;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLSession;

/**
 * The {@link HttpServletRequest} of one exchange, over the engine's {@link HttpRequest}. Lives
 * for one request and is used only by its task (and, for forwards, through wrappers).
 */
final class ContainerRequest implements HttpServletRequest {

    private static final AtomicLong IDS = new AtomicLong();

    private final HttpRequest http;
    private final NetpollServletContext context;
    private final String requestUri;
    private final ServletMapper.Match match;
    private final String requestId = Long.toString(IDS.incrementAndGet());
    private final ForwardedHeaders forwarded;
    private final Map<String, Object> attributes = new HashMap<>();
    private String characterEncoding;
    private Map<String, String[]> parameters;
    private Cookie[] cookies;
    private List<Locale> locales;
    private ServletInputStream inputStream;
    private BufferedReader reader;
    // Async state, touched by the connection's task and by application threads that start async
    // work; the exchange itself is locked, these fields are volatile.
    private volatile AsyncExchange async;
    private volatile boolean asyncStarted;
    private volatile boolean asyncSupported;
    // Written once by the connection's task when the exchange ends; read by application threads.
    private volatile boolean over;
    private ContainerResponse response;
    private List<MultipartPart> parts;
    private NetpollSession session;
    private final java.util.concurrent.locks.ReentrantLock serviceLock = new java.util.concurrent.locks.ReentrantLock();
    private boolean inService;
    private List<Runnable> deferred;
    private java.util.function.Consumer<Runnable> taskStarter = r -> Thread.ofVirtual().name("netpoll-async").start(r);

    ContainerRequest(HttpRequest http, NetpollServletContext context, String requestUri, ServletMapper.Match match) {
        this.http = http;
        this.context = context;
        this.requestUri = requestUri;
        this.match = match;
        this.characterEncoding = context.getRequestCharacterEncoding();
        this.forwarded = context.forwarded(http);
    }

    ServletMapper.Match match() {
        return match;
    }

    void bind(ContainerResponse servletResponse, java.util.function.Consumer<Runnable> starter) {
        this.response = servletResponse;
        this.taskStarter = starter;
    }

    /** Runs {@code work} as a task of the server (for async work and I/O listeners). */
    void startTask(Runnable work) {
        taskStarter.accept(work);
    }

    /** Whether the servlet and every filter of the current dispatch support async. */
    void setAsyncSupported(boolean supported) {
        asyncSupported = supported;
    }

    AsyncExchange async() {
        return async;
    }

    /** The connection's task takes over: the request is no longer in async-started state. */
    void endAsync() {
        asyncStarted = false;
    }

    /** The exchange has ended: every async context of this request fails from now on. */
    void over() {
        over = true;
    }

    boolean isOver() {
        return over;
    }

    /**
     * Runs a read or write listener's work as a task, but not before {@code service()} has
     * returned (Servlet 6.1 section 5.3): set during the dispatch, it waits in {@code deferred}
     * until {@link #leaveService()}. {@code inService} and {@code deferred} are guarded by
     * {@code serviceLock}: the application may set a listener from any thread.
     */
    void startListenerTask(Runnable work) {
        serviceLock.lock();
        try {
            if (inService) {
                if (deferred == null) {
                    deferred = new ArrayList<>(2);
                }
                deferred.add(work);
                return;
            }
        } finally {
            serviceLock.unlock();
        }
        startTask(work);
    }

    /** The container is about to call the filter chain and servlet of a dispatch. */
    void enterService() {
        serviceLock.lock();
        try {
            inService = true;
        } finally {
            serviceLock.unlock();
        }
    }

    /** The dispatch returned: listeners set during it start now. */
    void leaveService() {
        List<Runnable> start;
        serviceLock.lock();
        try {
            inService = false;
            start = deferred;
            deferred = null;
        } finally {
            serviceLock.unlock();
        }
        if (start != null) {
            start.forEach(this::startTask);
        }
    }

    HttpRequest http() {
        return http;
    }

    // ---- attributes

    @Override
    public Object getAttribute(String name) {
        Object value = attributes.get(name);
        if (value == null && http.isSecure()) {
            SSLSession session = http.tlsSession();
            value = session == null ? null : TlsAttributes.get(session, name);
        }
        return value;
    }

    @Override
    public Enumeration<String> getAttributeNames() {
        List<String> names = new ArrayList<>(attributes.keySet());
        if (http.isSecure()) {
            for (String name : TlsAttributes.NAMES) {
                if (!attributes.containsKey(name) && getAttribute(name) != null) {
                    names.add(name);
                }
            }
        }
        return Collections.enumeration(names);
    }

    @Override
    public void setAttribute(String name, Object value) {
        if (name == null) {
            throw new IllegalArgumentException("attribute name must not be null");
        }
        if (value == null) {
            removeAttribute(name);
            return;
        }
        Object old = attributes.put(name, value);
        for (ServletRequestAttributeListener listener : context.requestAttributeListeners()) {
            var event = new ServletRequestAttributeEvent(context, this, name, old == null ? value : old);
            if (old == null) {
                listener.attributeAdded(event);
            } else {
                listener.attributeReplaced(event);
            }
        }
    }

    @Override
    public void removeAttribute(String name) {
        Object old = attributes.remove(name);
        if (old != null) {
            for (ServletRequestAttributeListener listener : context.requestAttributeListeners()) {
                listener.attributeRemoved(new ServletRequestAttributeEvent(context, this, name, old));
            }
        }
    }

    // ---- body and parameters

    @Override
    public String getCharacterEncoding() {
        if (characterEncoding != null) {
            return characterEncoding;
        }
        return ContentType.parameter(getContentType(), "charset");
    }


    private Charset charset() {
        String name = getCharacterEncoding();
        if (name == null) {
            return StandardCharsets.UTF_8;
        }
        try {
            return Charset.forName(name);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            return StandardCharsets.UTF_8;
        }
    }

    @Override
    public void setCharacterEncoding(String encoding) throws UnsupportedEncodingException {
        if (reader != null || parameters != null) {
            return; // too late: the body was already decoded (Servlet 6.1 section 3.12)
        }
        try {
            Charset.forName(encoding);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw new UnsupportedEncodingException(encoding);
        }
        characterEncoding = encoding;
    }

    @Override
    public int getContentLength() {
        long length = getContentLengthLong();
        return length > Integer.MAX_VALUE ? -1 : (int) length;
    }

    @Override
    public long getContentLengthLong() {
        if (http.isChunked()) {
            return -1;
        }
        return http.header("Content-Length") == null ? -1 : http.contentLength();
    }

    @Override
    public String getContentType() {
        return http.header("Content-Type");
    }

    @Override
    public ServletInputStream getInputStream() {
        if (reader != null) {
            throw new IllegalStateException("getReader() was already called for this request");
        }
        if (inputStream == null) {
            inputStream = new RequestBodyStream(http.body(), this);
        }
        return inputStream;
    }

    @Override
    public BufferedReader getReader() {
        if (inputStream != null && reader == null) {
            throw new IllegalStateException("getInputStream() was already called for this request");
        }
        if (reader == null) {
            reader = new BufferedReader(new InputStreamReader(new RequestBodyStream(http.body(), this), charset()));
        }
        return reader;
    }

    private Map<String, String[]> parameters() {
        if (parameters == null) {
            var parsed = new Parameters();
            parsed.parse(http.query(), charset());
            String type = getContentType();
            if (isMultipartForm(type) && match.servlet().multipartConfig() != null) {
                // Servlet 6.1 section 3.2: form fields of a multipart body are parameters too.
                try {
                    for (MultipartPart part : multipart()) {
                        if (part.getSubmittedFileName() == null) {
                            parsed.add(part.getName(), new String(part.bytes(), charset()));
                        }
                    }
                } catch (IOException | jakarta.servlet.ServletException e) {
                    throw new IllegalStateException("could not read the multipart body: " + e.getMessage(), e);
                }
            } else if (type != null && type.regionMatches(true, 0, "application/x-www-form-urlencoded", 0, 33)
                    && inputStream == null && reader == null) {
                try {
                    byte[] body = http.body().readAllBytes();
                    parsed.parse(new String(body, StandardCharsets.ISO_8859_1), charset());
                } catch (IOException e) {
                    throw new IllegalStateException("could not read the form body: " + e.getMessage(), e);
                }
            }
            Map<String, String[]> map = new LinkedHashMap<>();
            parsed.asMap().forEach((name, values) -> map.put(name, values.toArray(String[]::new)));
            parameters = Collections.unmodifiableMap(map);
        }
        return parameters;
    }

    @Override
    public String getParameter(String name) {
        String[] values = parameters().get(name);
        return values == null ? null : values[0];
    }

    @Override
    public Enumeration<String> getParameterNames() {
        return Collections.enumeration(parameters().keySet());
    }

    @Override
    public String[] getParameterValues(String name) {
        String[] values = parameters().get(name);
        return values == null ? null : values.clone();
    }

    @Override
    public Map<String, String[]> getParameterMap() {
        return parameters();
    }

    // ---- connection and addressing

    @Override
    public String getProtocol() {
        return http.version();
    }

    @Override
    public String getScheme() {
        return forwarded.scheme() != null ? forwarded.scheme() : http.isSecure() ? "https" : "http";
    }

    @Override
    public String getServerName() {
        if (forwarded.host() != null) {
            return forwarded.host();
        }
        String host = http.header("Host");
        if (host == null || host.isEmpty()) {
            return getLocalName();
        }
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            return host.substring(0, close + 1);
        }
        int colon = host.indexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }

    @Override
    public int getServerPort() {
        if (forwarded.port() >= 0) {
            return forwarded.port();
        }
        String host = http.header("Host");
        if (host == null || host.isEmpty()) {
            return getLocalPort();
        }
        // The scheme's default port when Host has none (RFC 9110 section 4.2).
        int defaultPort = http.isSecure() ? 443 : 80;
        int colon = host.lastIndexOf(':');
        if (colon < 0 || host.startsWith("[") && colon < host.indexOf(']')) {
            return defaultPort;
        }
        try {
            return Integer.parseInt(host.substring(colon + 1));
        } catch (NumberFormatException e) {
            return defaultPort;
        }
    }

    @Override
    public String getRemoteAddr() {
        if (forwarded.remoteAddress() != null) {
            return forwarded.remoteAddress();
        }
        InetSocketAddress remote = http.remoteAddress();
        return remote == null ? null : remote.getAddress().getHostAddress();
    }

    @Override
    public String getRemoteHost() {
        return getRemoteAddr();
    }

    @Override
    public int getRemotePort() {
        InetSocketAddress remote = http.remoteAddress();
        return remote == null ? -1 : remote.getPort();
    }

    @Override
    public String getLocalName() {
        InetSocketAddress local = http.localAddress();
        return local == null ? null : local.getAddress().getHostAddress();
    }

    @Override
    public String getLocalAddr() {
        return getLocalName();
    }

    @Override
    public int getLocalPort() {
        InetSocketAddress local = http.localAddress();
        return local == null ? -1 : local.getPort();
    }

    @Override
    public boolean isSecure() {
        return "https".equals(getScheme());
    }

    // ---- locales

    @Override
    public Locale getLocale() {
        return locales().get(0);
    }

    @Override
    public Enumeration<Locale> getLocales() {
        return Collections.enumeration(locales());
    }

    private List<Locale> locales() {
        if (locales == null) {
            locales = AcceptLanguage.parse(http.header("Accept-Language"));
        }
        return locales;
    }

    // ---- dispatching and async

    @Override
    public RequestDispatcher getRequestDispatcher(String path) {
        if (path == null) {
            return null;
        }
        if (!path.startsWith("/")) {
            String servletPath = getServletPath() + (getPathInfo() == null ? "" : getPathInfo());
            int slash = servletPath.lastIndexOf('/');
            path = (slash < 0 ? "/" : servletPath.substring(0, slash + 1)) + path;
        }
        return context.getRequestDispatcher(path);
    }

    @Override
    public NetpollServletContext getServletContext() {
        return context;
    }

    @Override
    public AsyncContext startAsync() {
        return start(this, response, true);
    }

    @Override
    public AsyncContext startAsync(ServletRequest servletRequest, ServletResponse servletResponse) {
        return start(servletRequest, servletResponse, servletRequest == this && servletResponse == response);
    }

    private AsyncContext start(ServletRequest servletRequest, ServletResponse servletResponse, boolean original) {
        if (!asyncSupported) {
            throw new IllegalStateException("async is not supported by servlet '" + match.servlet().getName()
                    + "' or one of the filters of this request (register them with asyncSupported=true)");
        }
        if (asyncStarted) {
            throw new IllegalStateException("startAsync was already called for this dispatch");
        }
        AsyncExchange previous = async;
        var exchange = new AsyncExchange(this, servletRequest, servletResponse, original, taskStarter);
        async = exchange;
        asyncStarted = true;
        if (previous != null) {
            // Servlet 6.1 section 2.3.3.3: listeners of the last cycle hear onStartAsync and may
            // register again.
            previous.fire("start", null);
        }
        return exchange;
    }

    @Override
    public boolean isAsyncStarted() {
        return asyncStarted;
    }

    @Override
    public boolean isAsyncSupported() {
        return asyncSupported;
    }

    @Override
    public AsyncContext getAsyncContext() {
        AsyncExchange exchange = async;
        if (exchange == null || !asyncStarted) {
            throw new IllegalStateException("no async context: the request is not in async mode");
        }
        return exchange;
    }

    @Override
    public DispatcherType getDispatcherType() {
        return DispatcherType.REQUEST;
    }

    @Override
    public String getRequestId() {
        return requestId;
    }

    @Override
    public String getProtocolRequestId() {
        return "";
    }

    @Override
    public ServletConnection getServletConnection() {
        var request = this;
        return new ServletConnection() {
            @Override
            public String getConnectionId() {
                return request.getRemoteAddr() + ":" + request.getRemotePort();
            }

            @Override
            public String getProtocol() {
                return request.getProtocol();
            }

            @Override
            public String getProtocolConnectionId() {
                return "";
            }

            @Override
            public boolean isSecure() {
                return http.isSecure(); // the connection itself, whatever a proxy's headers say
            }
        };
    }

    // ---- HTTP

    @Override
    public String getAuthType() {
        return null;
    }

    @Override
    public Cookie[] getCookies() {
        if (cookies == null) {
            cookies = Cookies.parse(http.headers("Cookie"));
        }
        return cookies.length == 0 ? null : cookies.clone();
    }

    @Override
    public long getDateHeader(String name) {
        String value = http.header(name);
        if (value == null) {
            return -1;
        }
        try {
            return ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("header " + name + " is not a date: " + value);
        }
    }

    @Override
    public String getHeader(String name) {
        return http.header(name);
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
        return Collections.enumeration(http.headers(name));
    }

    @Override
    public Enumeration<String> getHeaderNames() {
        return Collections.enumeration(http.headers().names());
    }

    @Override
    public int getIntHeader(String name) {
        String value = http.header(name);
        return value == null ? -1 : Integer.parseInt(value.trim());
    }

    @Override
    public HttpServletMapping getHttpServletMapping() {
        return mapping(match);
    }

    static HttpServletMapping mapping(ServletMapper.Match match) {
        return new HttpServletMapping() {
            @Override
            public String getMatchValue() {
                return match.matchValue();
            }

            @Override
            public String getPattern() {
                return match.pattern();
            }

            @Override
            public String getServletName() {
                return match.servlet().getName();
            }

            @Override
            public MappingMatch getMappingMatch() {
                return match.kind();
            }
        };
    }

    @Override
    public String getMethod() {
        return http.method();
    }

    @Override
    public String getPathInfo() {
        return match.pathInfo();
    }

    @Override
    public String getPathTranslated() {
        String pathInfo = getPathInfo();
        return pathInfo == null ? null : context.getRealPath(pathInfo);
    }

    @Override
    public String getContextPath() {
        return context.getContextPath();
    }

    @Override
    public String getQueryString() {
        return http.query();
    }

    @Override
    public String getRemoteUser() {
        return null;
    }

    @Override
    public boolean isUserInRole(String role) {
        return false;
    }

    @Override
    public Principal getUserPrincipal() {
        return null;
    }

    /** The session id the client sent in the session cookie, or null. */
    @Override
    public String getRequestedSessionId() {
        String name = context.getSessionCookieConfig().getName();
        Cookie[] all = cookies == null ? (cookies = Cookies.parse(http.headers("Cookie"))) : cookies;
        String first = null;
        for (Cookie cookie : all) {
            if (cookie.getName().equals(name)) {
                if (context.sessions().find(cookie.getValue(), System.currentTimeMillis()) != null) {
                    return cookie.getValue();
                }
                if (first == null) {
                    first = cookie.getValue();
                }
            }
        }
        return first;
    }

    @Override
    public String getRequestURI() {
        return requestUri;
    }

    @Override
    public StringBuffer getRequestURL() {
        var url = new StringBuffer(getScheme()).append("://").append(getServerName());
        int port = getServerPort();
        if (!(port == 80 && "http".equals(getScheme()) || port == 443 && "https".equals(getScheme()))) {
            url.append(':').append(port);
        }
        return url.append(requestUri);
    }

    @Override
    public String getServletPath() {
        return match.servletPath();
    }

    @Override
    public HttpSession getSession(boolean create) {
        long now = System.currentTimeMillis();
        if (session != null && session.isValid()) {
            return session;
        }
        NetpollSession found = context.sessions().find(getRequestedSessionId(), now);
        if (found != null) {
            found.access(now);
            session = found;
            return found;
        }
        if (!create) {
            return null;
        }
        if (response != null && response.isCommitted()) {
            throw new IllegalStateException("cannot create a session after the response was committed");
        }
        session = context.sessions().create(now);
        sendSessionCookie();
        return session;
    }

    private void sendSessionCookie() {
        if (response != null) {
            response.addCookie(((SessionCookieSettings) context.getSessionCookieConfig()).cookie(session.getId(),
                    context.getContextPath()));
        }
    }

    @Override
    public HttpSession getSession() {
        return getSession(true);
    }

    /** Session fixation protection: a new id for the same session, sent as a new cookie. */
    @Override
    public String changeSessionId() {
        HttpSession current = getSession(false);
        if (current == null) {
            throw new IllegalStateException("changeSessionId: the request has no session");
        }
        String id = context.sessions().changeId(session);
        sendSessionCookie();
        return id;
    }

    @Override
    public boolean isRequestedSessionIdValid() {
        String requested = getRequestedSessionId();
        return requested != null && context.sessions().find(requested, System.currentTimeMillis()) != null;
    }

    @Override
    public boolean isRequestedSessionIdFromCookie() {
        return getRequestedSessionId() != null;
    }

    @Override
    public boolean isRequestedSessionIdFromURL() {
        return false;
    }

    @Override
    public boolean authenticate(HttpServletResponse response) throws IOException, ServletException {
        response.sendError(401);
        return false;
    }

    @Override
    public void login(String username, String password) throws ServletException {
        throw new ServletException("container login is not supported: use Spring Security");
    }

    @Override
    public void logout() {
    }

    private static boolean isMultipartForm(String type) {
        return type != null && type.regionMatches(true, 0, "multipart/form-data", 0, 19);
    }

    private List<MultipartPart> multipart() throws IOException, ServletException {
        if (parts == null) {
            String type = getContentType();
            if (!isMultipartForm(type)) {
                throw new ServletException("not a multipart/form-data request (Content-Type: " + type + ")");
            }
            jakarta.servlet.MultipartConfigElement config = match.servlet().multipartConfig();
            if (config == null) {
                throw new IllegalStateException("servlet '" + match.servlet().getName()
                        + "' has no multipart configuration (MultipartConfigElement)");
            }
            String boundary = MultipartParser.boundary(type);
            if (boundary == null) {
                throw new ServletException("multipart request without a valid boundary parameter");
            }
            if (inputStream != null || reader != null) {
                throw new IllegalStateException("the request body was already read through getInputStream or getReader");
            }
            java.nio.file.Path tmp = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "netpoll-multipart");
            String configured = config.getLocation();
            java.nio.file.Path location = configured == null || configured.isEmpty() ? tmp
                    : java.nio.file.Path.of(configured).isAbsolute() ? java.nio.file.Path.of(configured) : tmp.resolve(configured);
            parts = new MultipartParser(http.body(), boundary, config, location).parse();
        }
        return parts;
    }

    @Override
    public Collection<Part> getParts() throws IOException, ServletException {
        return List.copyOf(multipart());
    }

    @Override
    public Part getPart(String name) throws IOException, ServletException {
        for (MultipartPart part : multipart()) {
            if (part.getName().equals(name)) {
                return part;
            }
        }
        return null;
    }

    /** Deletes the temporary files of uploaded parts; the request is over. */
    void deleteParts() {
        if (parts != null) {
            for (MultipartPart part : parts) {
                try {
                    part.delete();
                } catch (IOException e) {
                    System.getLogger(ContainerRequest.class.getName()).log(System.Logger.Level.WARNING,
                            "could not delete an uploaded part: " + e.getMessage());
                }
            }
        }
    }

    @Override
    public <T extends HttpUpgradeHandler> T upgrade(Class<T> handlerClass) throws ServletException {
        throw new ServletException("protocol upgrade is not supported");
    }
}
