package dev.netpoll.http;

import java.io.IOException;

/**
 * Where an {@link HttpResponse} goes: the seam between the response a handler fills and the
 * protocol that carries it. HTTP/1.1 frames it on the connection ({@link ResponseOutput}); HTTP/2
 * sends HEADERS and DATA frames on a stream. The response calls {@link #begin} once per exchange
 * and reaches the body methods only through its {@link Exchange}; the protocol's own task calls
 * {@link #finish}.
 */
public interface ResponseChannel {

    /** Starts a response: the channel keeps {@code response} to read status and fields at commit. */
    void begin(HttpResponse response, boolean headRequest, boolean http10, boolean acceptsGzip);

    /** Whether the head has been sent. */
    boolean isCommitted();

    boolean isHeadRequest();

    /**
     * Whether a {@code 101 Switching Protocols} can hand the connection over after this response:
     * only HTTP/1.1 can (HTTP/1.0 has no upgrade; HTTP/2 forbids 101, RFC 9113 section 8.6).
     */
    default boolean canSwitchProtocols() {
        return false;
    }

    /** Whether trailer fields can follow the body: HTTP/1.1 (chunked) and HTTP/2 can, HTTP/1.0 cannot. */
    default boolean canSendTrailers() {
        return false;
    }

    /** Drops the buffered, uncommitted body (reset, error pages); fails once committed. */
    void discardBuffered();

    void write(byte[] b, int off, int len) throws IOException;

    default void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    /** Commits and sends what is buffered; the response continues. */
    void flush() throws IOException;

    /** Ends the response: sends the rest and marks its end. Idempotent. */
    void finish() throws IOException;

    /** Body bytes the handler wrote (before any compression), for the access log. */
    long bytesWritten();
}
