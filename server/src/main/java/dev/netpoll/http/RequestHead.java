package dev.netpoll.http;

/**
 * A parsed request line and header block with its framing decided (RFC 9112 section 6.3).
 * Written by {@link RequestParser} on the connection's task, then read-only for the request.
 */
public final class RequestHead {

    /** No body: neither Content-Length nor Transfer-Encoding. */
    public static final long NO_BODY = 0;
    /** Body framed by chunked transfer coding. */
    public static final long CHUNKED = -1;

    String method;
    String target;
    /** 0 for HTTP/1.0, 1 for HTTP/1.1. */
    int minorVersion;
    /** 1, or 2 for a request on an HTTP/2 stream. */
    int majorVersion = 1;
    final HttpHeaders headers = new HttpHeaders();
    /** Content length, {@link #NO_BODY} or {@link #CHUNKED}. */
    long bodyLength;
    boolean keepAlive;
    boolean expectContinue;
    /** Framing was acceptable but dubious (HTTP/1.0 with Transfer-Encoding): close afterwards. */
    boolean closeAfter;

    public String method() {
        return method;
    }

    /** The request-target exactly as sent (origin, absolute or asterisk form). */
    public String target() {
        return target;
    }

    public String version() {
        return majorVersion == 2 ? "HTTP/2.0" : minorVersion == 1 ? "HTTP/1.1" : "HTTP/1.0";
    }

    /**
     * Fills the head of a request that arrived on an HTTP/2 stream: its pseudo-header fields
     * made into a request line, and the body length from {@code content-length} (-1, like
     * {@link #CHUNKED}, when the body is delimited by the end of the stream). The header fields
     * go into {@link #headers()}.
     */
    public void setHttp2(String method, String target, long bodyLength) {
        this.method = method;
        this.target = target;
        this.majorVersion = 2;
        this.minorVersion = 0;
        this.bodyLength = bodyLength;
        this.keepAlive = true;
    }

    public int minorVersion() {
        return minorVersion;
    }

    public HttpHeaders headers() {
        return headers;
    }

    public long bodyLength() {
        return bodyLength;
    }

    public boolean keepAlive() {
        return keepAlive;
    }

    public boolean expectContinue() {
        return expectContinue;
    }

    /** The request line, for logs and the runtime view. */
    public String requestLine() {
        return method + " " + target + " " + version();
    }

    void reset() {
        method = null;
        target = null;
        minorVersion = 1;
        majorVersion = 1;
        headers.clear();
        bodyLength = NO_BODY;
        keepAlive = false;
        expectContinue = false;
        closeAfter = false;
    }
}
