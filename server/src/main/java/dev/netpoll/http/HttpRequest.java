package dev.netpoll.http;

import dev.netpoll.poll.Conn;
import dev.netpoll.tls.TlsConn;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.List;
import javax.net.ssl.SSLSession;

/**
 * The request a handler sees: the parsed head, the body stream and the connection's addresses.
 * One instance per connection, refilled for each keep-alive request; valid only during
 * {@link HttpHandler#handle}.
 */
public final class HttpRequest {

    final RequestHead head = new RequestHead();
    final HttpHeaders trailers = new HttpHeaders();
    // The connection's addresses are asked of it when a handler wants them: the local one costs a
    // getsockname, and an idle connection should not hold what no request asked for.
    private final Conn conn;
    private final TlsConn tls;
    InputStream body;
    long number;

    /**
     * The request of a connection, refilled for each of its requests; another protocol (an HTTP/2
     * stream) fills {@link #head()} and sets {@link #body(InputStream)} itself. {@code conn} is the
     * connection the request came over ({@link TlsConn} when it is encrypted).
     */
    public HttpRequest(Conn conn) {
        this.conn = conn;
        this.tls = conn instanceof TlsConn secure ? secure : null;
    }

    /** Whether the request came over TLS. */
    public boolean isSecure() {
        return tls != null;
    }

    /** The TLS session the request came over, or null for cleartext. */
    public SSLSession tlsSession() {
        return tls == null ? null : tls.session();
    }

    public String method() {
        return head.method;
    }

    /** The request-target as sent, such as {@code /a/b?x=1}. */
    public String target() {
        return head.target;
    }

    /** The path of the target, still percent-encoded; for absolute-form, without scheme and authority. */
    public String path() {
        String target = head.target;
        int from = 0;
        if (target.charAt(0) != '/' && !target.equals("*")) {
            // absolute-form: the path starts where the authority ends, at '/'; at '?' or the end it is empty
            from = target.indexOf("://") + 3 + RequestParser.authority(target).length();
            if (from == target.length() || target.charAt(from) == '?') {
                return "/";
            }
        }
        int query = target.indexOf('?', from);
        return target.substring(from, query < 0 ? target.length() : query);
    }

    /** The query of the target without '?', or null. */
    public String query() {
        int query = head.target.indexOf('?');
        return query < 0 ? null : head.target.substring(query + 1);
    }

    /** "HTTP/1.1" or "HTTP/1.0". */
    public String version() {
        return head.version();
    }

    public String header(String name) {
        return head.headers.get(name);
    }

    public List<String> headers(String name) {
        return head.headers.all(name);
    }

    public HttpHeaders headers() {
        return head.headers;
    }

    /** Content-Length, or -1 when the body is chunked. 0 when there is none. */
    public long contentLength() {
        return head.bodyLength;
    }

    public boolean isChunked() {
        return head.bodyLength == RequestHead.CHUNKED;
    }

    /** Drops what the served request held (head fields, trailers, body), so an idle connection keeps none of it. */
    void forget() {
        head.reset();
        head.headers.release();
        trailers.release();
        body = null;
    }

    /** The head, for the protocol that fills it (an HTTP/2 stream). */
    public RequestHead head() {
        return head;
    }

    /** Sets the body stream; for the protocol that carries the request. */
    public void body(InputStream stream) {
        body = stream;
    }

    /** The body; empty when the request has none. Reading it sends 100 Continue if asked for. */
    public InputStream body() {
        return body;
    }

    /** Trailer fields of a chunked body, available once the body has been read to its end. */
    public HttpHeaders trailers() {
        return trailers;
    }

    public InetSocketAddress remoteAddress() {
        return conn.remoteAddress();
    }

    public InetSocketAddress localAddress() {
        return conn.localAddress();
    }

    /** 1 for the first request on the connection, 2 for the next keep-alive request, and so on. */
    public long number() {
        return number;
    }

    public String requestLine() {
        return head.requestLine();
    }
}
