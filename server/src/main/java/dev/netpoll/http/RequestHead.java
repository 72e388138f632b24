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
        return minorVersion == 1 ? "HTTP/1.1" : "HTTP/1.0";
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
        headers.clear();
        bodyLength = NO_BODY;
        keepAlive = false;
        expectContinue = false;
        closeAfter = false;
    }
}
