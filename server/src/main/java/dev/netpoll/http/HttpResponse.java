package dev.netpoll.http;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The response a handler fills: status, header fields and a body stream. Nothing is sent until the
 * body outgrows the buffer, the handler flushes, or it returns.
 *
 * <p>One instance per exchange, used by the handler's thread or whichever thread it hands the
 * response to; after the exchange ends every setter and the body fail with
 * {@link IllegalStateException} (see {@link Exchange}). The connection's own calls (begin,
 * requestClose, the getters) are not guarded: they run on its task.
 */
public final class HttpResponse {

    private final HttpHeaders headers = new HttpHeaders();
    final ResponseChannel output;
    private final Exchange exchange;
    private final OutputStream body;
    private int status;
    private String reason;
    private long contentLength;
    private boolean closeRequested;
    /** The protocol the connection switches to after this response, or null; see {@link #upgrade(Upgrade)}. */
    private Upgrade upgrade;
    /** Where the trailer fields come from, asked once when the body ends; null for none. */
    private java.util.function.Supplier<java.util.Map<String, String>> trailerFields;

    HttpResponse(ResponseChannel output, Exchange exchange) {
        this.output = output;
        this.exchange = exchange;
        this.body = new ExchangeOutput(output, exchange);
    }

    /**
     * A response carried by another protocol (an HTTP/2 stream), with an exchange of its own,
     * begun: status 200, no fields. The protocol's task calls {@link #endExchange()} when the
     * handler returns and then finishes {@code output} itself.
     */
    public HttpResponse(ResponseChannel output, boolean headRequest, boolean acceptsGzip) {
        this(output, new Exchange());
        begin(headRequest, false, false, acceptsGzip);
    }

    /**
     * Ends the exchange for the application (see {@link Exchange#end()}): false if a thread the
     * handler handed the response to is inside a body operation right now.
     */
    public boolean endExchange() {
        return exchange.end();
    }

    /** After {@link #endExchange()} returned false: waits up to {@code nanos} for that thread to leave. */
    public boolean awaitExchangeExit(long nanos) {
        return exchange.awaitExit(nanos);
    }

    Exchange exchange() {
        return exchange;
    }

    void begin(boolean headRequest, boolean http10, boolean closeAfter) {
        begin(headRequest, http10, closeAfter, false);
    }

    void begin(boolean headRequest, boolean http10, boolean closeAfter, boolean acceptsGzip) {
        headers.clear();
        status = 200;
        reason = null;
        contentLength = -1;
        closeRequested = closeAfter;
        upgrade = null;
        trailerFields = null;
        output.begin(this, headRequest, http10, acceptsGzip);
    }

    public int status() {
        return status;
    }

    public HttpResponse status(int code) {
        return status(code, null);
    }

    /** Sets the status and, optionally, a reason phrase other than the standard one. */
    public HttpResponse status(int code, String reasonPhrase) {
        exchange.enter();
        try {
            if (code < 100 || code > 999) {
                throw new IllegalArgumentException("status must have three digits, was " + code);
            }
            checkUncommitted();
            if (reasonPhrase != null) {
                checkValue(reasonPhrase);
            }
            status = code;
            reason = reasonPhrase;
            return this;
        } finally {
            exchange.exit();
        }
    }

    String reason() {
        return reason != null ? reason : HttpStatus.reason(status);
    }

    public HttpHeaders headers() {
        return headers;
    }

    /** Replaces the field {@code name}; null removes it. */
    public HttpResponse header(String name, String value) {
        exchange.enter();
        try {
            checkName(name);
            if (value != null) {
                checkValue(value);
            }
            if (name.equalsIgnoreCase("Content-Length")) {
                contentLength(value == null ? -1 : Long.parseLong(value.trim()));
                return this;
            }
            if (name.equalsIgnoreCase("Connection") && value != null && value.equalsIgnoreCase("close")) {
                closeRequested = true;
            }
            headers.set(name, value);
            return this;
        } finally {
            exchange.exit();
        }
    }

    public HttpResponse addHeader(String name, String value) {
        exchange.enter();
        try {
            checkName(name);
            checkValue(value);
            if (name.equalsIgnoreCase("Content-Length")) {
                return header(name, value);
            }
            headers.add(name, value);
            return this;
        } finally {
            exchange.exit();
        }
    }

    /** Declares the body length; -1 for unknown (then chunked if it does not fit the buffer). */
    public HttpResponse contentLength(long length) {
        exchange.enter();
        try {
            if (length < -1) {
                throw new IllegalArgumentException("content length must be -1 or more, was " + length);
            }
            contentLength = length;
            return this;
        } finally {
            exchange.exit();
        }
    }

    public long contentLength() {
        return contentLength;
    }

    /** Fails a write of {@code len} more bytes after {@code written} that would pass the declared Content-Length. */
    public void checkWithinLength(long written, int len) throws IOException {
        if (contentLength >= 0 && written + len > contentLength) {
            throw new IOException("response body exceeds its Content-Length of " + contentLength);
        }
    }

    /** Whether an answer with this status to such a request carries a body (RFC 9110 sections 9.3.2, 6.4.1). */
    public boolean sendsBody(boolean headRequest) {
        return !headRequest && !HttpStatus.forbidsBody(status);
    }

    public OutputStream body() {
        return body;
    }

    /** True once sent in part, and for good once the exchange ended (the output is the next exchange's then). */
    public boolean isCommitted() {
        return exchange.isEnded() || output.isCommitted();
    }

    /** Sends the head and what is buffered now. */
    public void flush() throws IOException {
        body.flush();
    }

    /** Clears status, fields and buffered body; fails once committed. */
    public void reset() {
        // Through the exchange: the buffer it clears is the connection's, shared with the next exchange.
        exchange.enter();
        try {
            output.discardBuffered();
            headers.clear();
            status = 200;
            reason = null;
            contentLength = -1;
        } finally {
            exchange.exit();
        }
    }

    /**
     * Answers {@code status} with a short text body, {@code "404 Not Found: detail"}: the server's
     * own answer where no application page applies (protocol errors, unmapped paths).
     */
    public void statusPage(int code, String detail) throws IOException {
        status(code);
        String text = code + " " + HttpStatus.reason(code) + (detail == null ? "" : ": " + detail) + "\n";
        byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        header("Content-Type", "text/plain; charset=utf-8");
        contentLength(bytes.length);
        body.write(bytes, 0, bytes.length);
    }

    /**
     * Answers {@code 101 Switching Protocols} and hands the connection to {@code protocol} once the
     * handler returns (RFC 9110 section 7.8): the head says {@code Connection: Upgrade}, the
     * handler sets {@code Upgrade} and the protocol's own fields. The switch is dropped if the
     * handler fails or the status is changed from 101 before the head is sent. Only over HTTP/1.1
     * (see {@link ResponseChannel#canSwitchProtocols}).
     */
    public void upgrade(Upgrade protocol) {
        exchange.enter();
        try {
            checkUncommitted();
            if (!output.canSwitchProtocols()) {
                throw new IllegalStateException("this request's protocol cannot switch protocols (HTTP/1.0 and HTTP/2 cannot)");
            }
            status = 101;
            reason = null;
            upgrade = protocol;
        } finally {
            exchange.exit();
        }
    }

    /** The protocol the handler asked for, whether or not the switch happens. */
    Upgrade requestedUpgrade() {
        return upgrade;
    }

    /** The protocol to switch to once this response is sent, if the handler asked for one and kept the 101. */
    Upgrade pendingUpgrade() {
        return status == 101 ? upgrade : null;
    }

    /**
     * Sends trailer fields after the body, asked of {@code supplier} once the body has ended: on
     * HTTP/2 a HEADERS frame that ends the stream, on HTTP/1.1 the trailer section of a chunked
     * body (such a response is sent chunked whatever its length). Set before the head is sent;
     * not over HTTP/1.0, which has no trailers.
     */
    public void trailerFields(java.util.function.Supplier<java.util.Map<String, String>> supplier) {
        exchange.enter();
        try {
            checkUncommitted();
            if (!output.canSendTrailers()) {
                throw new IllegalStateException("this request's protocol cannot carry trailer fields (HTTP/1.0 cannot)");
            }
            trailerFields = supplier;
        } finally {
            exchange.exit();
        }
    }

    public java.util.function.Supplier<java.util.Map<String, String>> trailerFields() {
        return trailerFields;
    }

    /** Asks for the connection to close after this response ({@code Connection: close}). */
    public void requestClose() {
        closeRequested = true;
    }

    boolean closeRequested() {
        return closeRequested;
    }

    private void checkUncommitted() {
        if (output.isCommitted()) {
            throw new IllegalStateException("response already committed");
        }
    }

    private static void checkName(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("header name must not be empty");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c >= 0x7F || c == ':') {
                throw new IllegalArgumentException("invalid header name: " + name);
            }
        }
    }

    /** Refuses CR, LF and NUL: a value must not be able to start another header (response splitting). */
    private static void checkValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                throw new IllegalArgumentException("header value contains CR, LF or NUL");
            }
        }
    }
}
