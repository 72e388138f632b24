package dev.netpoll.servlet;

import dev.netpoll.http.HttpResponse;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Locale;

/**
 * The {@link HttpServletResponse} of one exchange, over the engine's {@link HttpResponse}. After
 * {@code sendError} the response is suspended until the container has run the error page; the
 * status and message wait in {@link #errorStatus()} and {@link #errorMessage()}. Owned by the
 * request's task.
 */
final class ContainerResponse implements HttpServletResponse {

    private final HttpResponse http;
    private final ContainerRequest request;
    private final ResponseBodyStream stream;
    private PrintWriter writer;
    private boolean usingStream;
    private String mimeType;
    private String characterEncoding;
    private boolean explicitEncoding;
    // The encoding came from setLocale's mapping: it shows in the Content-Type like an explicit one,
    // but a later setLocale may still change it (Servlet 6.1, HttpServletResponse.setLocale).
    private boolean localeEncoding;
    private Locale locale = Locale.getDefault();
    private int bufferSize;
    private int errorStatus = -1;
    private String errorMessage;

    ContainerResponse(HttpResponse http, ContainerRequest request, String defaultEncoding) {
        this.http = http;
        this.request = request;
        this.stream = new ResponseBodyStream(http.body(), request);
        this.characterEncoding = defaultEncoding;
        this.bufferSize = 8192;
    }

    /** The status of a pending {@code sendError}, or -1. */
    int errorStatus() {
        return errorStatus;
    }

    String errorMessage() {
        return errorMessage;
    }

    /** Leaves the suspended state so that the error page can write. */
    void resumeForErrorPage() {
        errorStatus = -1;
        stream.suspend(false);
        stream.reopen();
        writer = null;
        usingStream = false;
    }

    /** Writes what the application left in its writer into the body buffer (not committing). */
    void finishWriting() throws IOException {
        if (writer != null) {
            stream.flushQuietly(writer);
        }
    }

    HttpResponse http() {
        return http;
    }

    @Override
    public String getCharacterEncoding() {
        return characterEncoding != null ? characterEncoding : StandardCharsets.ISO_8859_1.name();
    }

    @Override
    public String getContentType() {
        if (mimeType == null) {
            return null;
        }
        return characterEncoding != null && explicitEncodingApplies() ? mimeType + ";charset=" + characterEncoding : mimeType;
    }

    private boolean explicitEncodingApplies() {
        return explicitEncoding || localeEncoding || writer != null || mimeType.startsWith("text/");
    }

    @Override
    public ServletOutputStream getOutputStream() {
        if (writer != null) {
            throw new IllegalStateException("getWriter() was already called for this response");
        }
        usingStream = true;
        return stream;
    }

    @Override
    public PrintWriter getWriter() {
        if (usingStream) {
            throw new IllegalStateException("getOutputStream() was already called for this response");
        }
        if (writer == null) {
            Charset charset = charset();
            if (characterEncoding == null) {
                characterEncoding = charset.name();
            }
            writer = new PrintWriter(new OutputStreamWriter(stream, charset), false);
            updateContentType();
        }
        return writer;
    }

    private Charset charset() {
        if (characterEncoding == null) {
            return StandardCharsets.ISO_8859_1;
        }
        try {
            return Charset.forName(characterEncoding);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            return StandardCharsets.ISO_8859_1;
        }
    }

    @Override
    public void setCharacterEncoding(String encoding) {
        if (isCommitted() || writer != null) {
            return;
        }
        characterEncoding = encoding;
        explicitEncoding = encoding != null;
        updateContentType();
    }

    @Override
    public void setContentLength(int length) {
        setContentLengthLong(length);
    }

    @Override
    public void setContentLengthLong(long length) {
        if (!isCommitted()) {
            http.contentLength(length < 0 ? -1 : length);
        }
    }

    @Override
    public void setContentType(String type) {
        if (isCommitted()) {
            return;
        }
        if (type == null) {
            mimeType = null;
            updateContentType();
            return;
        }
        String charset = ContentType.parameter(type, "charset");
        int semicolon = type.indexOf(';');
        mimeType = (semicolon < 0 ? type : type.substring(0, semicolon)).trim();
        if (charset != null && writer == null) {
            characterEncoding = charset;
            explicitEncoding = true;
        }
        updateContentType();
    }

    private void updateContentType() {
        http.header("Content-Type", getContentType());
    }

    /**
     * Recorded and reported; the engine's response buffer is pooled and of fixed size, so a larger
     * value streams (chunked) earlier than asked and a smaller one later.
     */
    @Override
    public void setBufferSize(int size) {
        if (isCommitted()) {
            throw new IllegalStateException("setBufferSize must be called before the response is committed");
        }
        bufferSize = size;
    }

    @Override
    public int getBufferSize() {
        return bufferSize;
    }

    @Override
    public void flushBuffer() throws IOException {
        if (writer != null) {
            writer.flush();
        }
        http.flush();
    }

    @Override
    public void resetBuffer() {
        if (isCommitted()) {
            throw new IllegalStateException("cannot reset the buffer of a committed response");
        }
        int status = http.status();
        var headers = snapshotHeaders();
        long length = http.contentLength();
        http.reset();
        http.status(status);
        headers.forEach(h -> http.addHeader(h[0], h[1]));
        http.contentLength(length);
        if (writer != null) {
            writer = new PrintWriter(new OutputStreamWriter(stream, charset()), false);
        }
    }

    private java.util.List<String[]> snapshotHeaders() {
        var list = new ArrayList<String[]>();
        var headers = http.headers();
        for (int i = 0; i < headers.size(); i++) {
            list.add(new String[] {headers.name(i), headers.value(i)});
        }
        return list;
    }

    @Override
    public boolean isCommitted() {
        return http.isCommitted();
    }

    /**
     * Trailer fields after the body: HTTP/2 sends them as the stream's last HEADERS, HTTP/1.1 as
     * the trailer section of a chunked body (the response is sent chunked for it). Fails once
     * committed and over HTTP/1.0, as the Servlet API specifies.
     */
    @Override
    public void setTrailerFields(java.util.function.Supplier<java.util.Map<String, String>> supplier) {
        http.trailerFields(supplier);
    }

    @Override
    public java.util.function.Supplier<java.util.Map<String, String>> getTrailerFields() {
        return http.trailerFields();
    }

    @Override
    public void reset() {
        if (isCommitted()) {
            throw new IllegalStateException("cannot reset a committed response");
        }
        http.reset();
        writer = null;
        usingStream = false;
        mimeType = null;
        explicitEncoding = false;
        localeEncoding = false;
        characterEncoding = request.getServletContext().getResponseCharacterEncoding();
    }

    /**
     * Sets the locale and, through the context's locale-encoding mapping, the charset, unless one
     * was set by {@code setCharacterEncoding} or {@code setContentType} or the writer was already
     * obtained (its encoding is fixed).
     */
    @Override
    public void setLocale(Locale value) {
        if (isCommitted() || value == null) {
            return;
        }
        locale = value;
        http.header("Content-Language", value.toLanguageTag());
        if (explicitEncoding || writer != null) {
            return;
        }
        Charset mapped = request.getServletContext().localeEncoding(value);
        if (mapped != null) {
            characterEncoding = mapped.name();
            localeEncoding = true;
            updateContentType();
        }
    }

    @Override
    public Locale getLocale() {
        return locale;
    }

    /** Writes {@code cookie}, with the SameSite attribute the context's policy gives it unless it names its own. */
    @Override
    public void addCookie(Cookie cookie) {
        if (!isCommitted()) {
            String sameSite = cookie.getAttribute(Cookies.SAME_SITE) != null ? null
                    : request.getServletContext().sameSitePolicy().sameSite(cookie);
            http.addHeader("Set-Cookie", Cookies.format(cookie, sameSite));
        }
    }

    @Override
    public boolean containsHeader(String name) {
        if (name.equalsIgnoreCase("Content-Length")) {
            return http.contentLength() >= 0;
        }
        return http.headers().contains(name);
    }

    @Override
    public String encodeURL(String url) {
        return url;
    }

    @Override
    public String encodeRedirectURL(String url) {
        return url;
    }

    @Override
    public void sendError(int status, String message) throws IOException {
        if (isCommitted()) {
            throw new IllegalStateException("cannot send an error after the response was committed");
        }
        resetBuffer();
        http.status(status);
        errorStatus = status;
        errorMessage = message;
        stream.suspend(true);
    }

    @Override
    public void sendError(int status) throws IOException {
        sendError(status, null);
    }

    @Override
    public void sendRedirect(String location, int status, boolean clearBuffer) throws IOException {
        if (isCommitted()) {
            throw new IllegalStateException("cannot redirect after the response was committed");
        }
        if (clearBuffer) {
            resetBuffer();
        }
        http.status(status);
        http.header("Location", absolute(location));
        stream.suspend(true);
    }

    /** Servlet 6.1 section 5.7: a relative location is made absolute against the request URL. */
    private String absolute(String location) {
        int colon = location.indexOf(':');
        int slash = location.indexOf('/');
        if (colon > 0 && (slash < 0 || colon < slash)) {
            return location; // has a scheme
        }
        int port = request.getServerPort();
        boolean defaultPort = port == 80 && "http".equals(request.getScheme()) || port == 443 && "https".equals(request.getScheme());
        String origin = request.getScheme() + "://" + request.getServerName() + (defaultPort ? "" : ":" + port);
        if (location.startsWith("//")) {
            return request.getScheme() + ":" + location;
        }
        if (location.startsWith("/")) {
            return origin + location;
        }
        String uri = request.getRequestURI();
        return origin + uri.substring(0, uri.lastIndexOf('/') + 1) + location;
    }

    @Override
    public void setDateHeader(String name, long date) {
        setHeader(name, httpDate(date));
    }

    @Override
    public void addDateHeader(String name, long date) {
        addHeader(name, httpDate(date));
    }

    private static String httpDate(long millis) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.ofEpochMilli(millis).atOffset(ZoneOffset.UTC));
    }

    @Override
    public void setHeader(String name, String value) {
        if (name == null || isCommitted()) {
            return;
        }
        if (name.equalsIgnoreCase("Content-Type")) {
            setContentType(value);
            return;
        }
        if (name.equalsIgnoreCase("Content-Length")) {
            setContentLengthLong(value == null ? -1 : Long.parseLong(value.trim()));
            return;
        }
        http.header(name, value);
    }

    @Override
    public void addHeader(String name, String value) {
        if (name == null || value == null || isCommitted()) {
            return;
        }
        if (name.equalsIgnoreCase("Content-Type") || name.equalsIgnoreCase("Content-Length")) {
            setHeader(name, value);
            return;
        }
        http.addHeader(name, value);
    }

    @Override
    public void setIntHeader(String name, int value) {
        setHeader(name, Integer.toString(value));
    }

    @Override
    public void addIntHeader(String name, int value) {
        addHeader(name, Integer.toString(value));
    }

    @Override
    public void setStatus(int status) {
        if (!isCommitted() && !stream.isSuspended()) {
            http.status(status);
        }
    }

    @Override
    public int getStatus() {
        return http.status();
    }

    @Override
    public String getHeader(String name) {
        if (name.equalsIgnoreCase("Content-Length")) {
            return http.contentLength() < 0 ? null : Long.toString(http.contentLength());
        }
        return http.headers().get(name);
    }

    @Override
    public Collection<String> getHeaders(String name) {
        return new ArrayList<>(http.headers().all(name));
    }

    @Override
    public Collection<String> getHeaderNames() {
        var names = new LinkedHashSet<>(http.headers().names());
        if (http.contentLength() >= 0) {
            names.add("Content-Length");
        }
        return names;
    }
}
