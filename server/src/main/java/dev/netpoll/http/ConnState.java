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
 *   ACTIVE -> HIJACKED a 101 response handed it to another protocol (WebSocket); still
 *                      listed, and told of graceful shutdown, until that protocol ends
 *   HIJACKED -> CLOSED the protocol ended or a forced shutdown closed it
 * </pre>
 */
public enum ConnState {
    NEW, ACTIVE, IDLE, HIJACKED, CLOSED
}
