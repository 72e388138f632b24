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
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.servlet.http.Part;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UnsupportedEncodingException;
import java.security.Principal;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.net.ssl.SSLSession;

/**
 * The {@link HttpServletRequest} of one exchange, over the engine's {@link HttpRequest}: answers
 * the request line, path and header views itself and hands each other idea to a collaborator
 * (attributes, body, parameters and parts, connection, headers, session, async state). Lives for
 * one request and is used by its task (and, for forwards, through wrappers); only
 * {@link RequestAsyncState} is also touched by application threads, and guards itself.
 */
final class ContainerRequest implements HttpServletRequest {

    private static final AtomicLong IDS = new AtomicLong();

    private final HttpRequest http;
    private final NetpollServletContext context;
    private final String requestUri;
    private final ServletMapper.Match match;
    private final String requestId = Long.toString(IDS.incrementAndGet());
    private final RequestConnection connection;
    private final RequestAttributes attributes;
    private final RequestBodyAccess body;
    private final RequestParts parts;
    private final RequestParameters parameters;
    private final RequestHeaders headers;
    private final RequestSession session;
    private final RequestAsyncState async;
    // Set by the connection's task before the request is dispatched.
    private ContainerResponse response;

    ContainerRequest(HttpRequest http, NetpollServletContext context, String requestUri, ServletMapper.Match match) {
        this.http = http;
        this.context = context;
        this.requestUri = requestUri;
        this.match = match;
        this.headers = new RequestHeaders(http);
        this.body = new RequestBodyAccess(http, this, context.getRequestCharacterEncoding());
        this.parts = new RequestParts(http, match.servlet(), body);
        this.parameters = new RequestParameters(http, body, parts);
        this.session = new RequestSession(http, context, this::isSecure);
        this.connection = new RequestConnection(http, context.forwarded(http));
        this.attributes = new RequestAttributes(context, this);
        this.async = new RequestAsyncState(this, match.servlet());
    }

    ServletMapper.Match match() {
        return match;
    }

    void bind(ContainerResponse servletResponse, Consumer<Runnable> starter) {
        this.response = servletResponse;
        this.session.bind(servletResponse);
        this.async.bind(starter);
    }

    /** The async cycle and listener deferral, for the container's side of async. */
    RequestAsyncState asyncState() {
        return async;
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
        List<String> names = attributes.names();
        if (http.isSecure()) {
            for (String name : TlsAttributes.NAMES) {
                if (attributes.get(name) == null && getAttribute(name) != null) {
                    names.add(name);
                }
            }
        }
        return Collections.enumeration(names);
    }

    @Override
    public void setAttribute(String name, Object value) {
        attributes.set(name, value);
    }

    @Override
    public void removeAttribute(String name) {
        attributes.remove(name);
    }

    // ---- body, parameters and parts

    @Override
    public String getCharacterEncoding() {
        return body.characterEncoding();
    }

    @Override
    public void setCharacterEncoding(String encoding) throws UnsupportedEncodingException {
        if (parameters.isParsed()) {
            return; // too late: the body was already decoded (Servlet 6.1 section 3.12)
        }
        body.setCharacterEncoding(encoding);
    }

    @Override
    public int getContentLength() {
        long length = getContentLengthLong();
        return length > Integer.MAX_VALUE ? -1 : (int) length;
    }

    @Override
    public long getContentLengthLong() {
        return body.contentLength();
    }

    @Override
    public String getContentType() {
        return body.contentType();
    }

    @Override
    public ServletInputStream getInputStream() {
        return body.inputStream();
    }

    @Override
    public BufferedReader getReader() {
        return body.reader();
    }

    @Override
    public String getParameter(String name) {
        return parameters.first(name);
    }

    @Override
    public Enumeration<String> getParameterNames() {
        return Collections.enumeration(parameters.map().keySet());
    }

    @Override
    public String[] getParameterValues(String name) {
        return parameters.values(name);
    }

    @Override
    public Map<String, String[]> getParameterMap() {
        return parameters.map();
    }

    @Override
    public Collection<Part> getParts() throws IOException, ServletException {
        return List.copyOf(parts.all());
    }

    @Override
    public Part getPart(String name) throws IOException, ServletException {
        return parts.named(name);
    }

    /** Deletes the temporary files of uploaded parts; the request is over. */
    void deleteParts() {
        parts.delete();
    }

    // ---- connection and addressing

    /** True once the body has been read to its end, or when the request has none (Servlet 6.1). */
    @Override
    public boolean isTrailerFieldsReady() {
        return body.finished();
    }

    /**
     * The trailer fields of a chunked HTTP/1.1 body or of an HTTP/2 stream, names in lower case,
     * repeated fields joined with commas; empty when there were none.
     */
    @Override
    public Map<String, String> getTrailerFields() {
        if (!isTrailerFieldsReady()) {
            throw new IllegalStateException("the request body has not been read to its end: its trailer fields are not ready");
        }
        var trailers = http.trailers();
        Map<String, String> fields = new java.util.LinkedHashMap<>();
        for (int i = 0; i < trailers.size(); i++) {
            fields.merge(trailers.name(i).toLowerCase(java.util.Locale.ROOT), trailers.value(i), (a, b) -> a + "," + b);
        }
        return fields;
    }

    @Override
    public String getProtocol() {
        return http.version();
    }

    @Override
    public String getScheme() {
        return connection.scheme();
    }

    @Override
    public boolean isSecure() {
        return connection.isSecure();
    }

    @Override
    public String getServerName() {
        return connection.serverName();
    }

    @Override
    public int getServerPort() {
        return connection.serverPort();
    }

    @Override
    public String getRemoteAddr() {
        return connection.remoteAddr();
    }

    @Override
    public String getRemoteHost() {
        return getRemoteAddr();
    }

    @Override
    public int getRemotePort() {
        return connection.remotePort();
    }

    @Override
    public String getLocalName() {
        return connection.localName();
    }

    @Override
    public String getLocalAddr() {
        return getLocalName();
    }

    @Override
    public int getLocalPort() {
        return connection.localPort();
    }

    // ---- locales

    @Override
    public Locale getLocale() {
        return headers.locales().get(0);
    }

    @Override
    public Enumeration<Locale> getLocales() {
        return Collections.enumeration(headers.locales());
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
        return async.start(this, response, true);
    }

    @Override
    public AsyncContext startAsync(ServletRequest servletRequest, ServletResponse servletResponse) {
        return async.start(servletRequest, servletResponse, servletRequest == this && servletResponse == response);
    }

    @Override
    public boolean isAsyncStarted() {
        return async.isStarted();
    }

    @Override
    public boolean isAsyncSupported() {
        return async.isSupported();
    }

    @Override
    public AsyncContext getAsyncContext() {
        return async.context();
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
        return connection.servletConnection();
    }

    // ---- HTTP

    @Override
    public String getAuthType() {
        return null;
    }

    @Override
    public Cookie[] getCookies() {
        Cookie[] cookies = session.cookies();
        return cookies.length == 0 ? null : cookies.clone();
    }

    @Override
    public long getDateHeader(String name) {
        return headers.date(name);
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
        return headers.integer(name);
    }

    @Override
    public HttpServletMapping getHttpServletMapping() {
        return new MatchedMapping(match);
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
        return session.requestedId();
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
        return session.get(create);
    }

    @Override
    public HttpSession getSession() {
        return getSession(true);
    }

    /** Session fixation protection: a new id for the same session, sent as a new cookie. */
    @Override
    public String changeSessionId() {
        return session.changeId();
    }

    @Override
    public boolean isRequestedSessionIdValid() {
        return session.isRequestedIdValid();
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

    @Override
    public <T extends HttpUpgradeHandler> T upgrade(Class<T> handlerClass) throws ServletException {
        // Servlet 6.1 section 2.3.3.5: the container makes the handler, answers 101 once the
        // servlet returns, and then calls init with the connection.
        T handler;
        try {
            handler = handlerClass.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new ServletException("cannot create the upgrade handler " + handlerClass.getName()
                    + " (it needs a public no-argument constructor): " + e, e);
        }
        try {
            response.http().upgrade(new ServletUpgrade(handler, getRequestURI()));
        } catch (IllegalStateException e) {
            throw new ServletException("cannot upgrade " + getRequestURI() + ": " + e.getMessage(), e);
        }
        return handler;
    }
}
