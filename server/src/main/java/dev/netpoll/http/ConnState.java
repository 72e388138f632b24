package dev.netpoll.http;

/**
 * The life of a connection, after Go's {@code http.ConnState}. Metrics, the runtime listing and
 * graceful shutdown read these instead of keeping their own books.
 * <pre>
 *   NEW    -> ACTIVE   first byte of the first request arrived
 *   NEW    -> CLOSED   client left or idle timeout, or shutdown closed it
 *   ACTIVE -> IDLE     response done, connection kept alive
 *   IDLE   -> ACTIVE   first byte of the next request arrived
 *   IDLE   -> CLOSED   client left, idle timeout, or shutdown closed it
 *   ACTIVE -> CLOSED   Connection: close, protocol error, or I/O failure
 *   ACTIVE -> HIJACKED handed over to another protocol (terminal; no longer tracked)
 * </pre>
 */
public enum ConnState {
    NEW, ACTIVE, IDLE, HIJACKED, CLOSED
}
