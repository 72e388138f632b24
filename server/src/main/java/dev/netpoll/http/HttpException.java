package dev.netpoll.http;

/**
 * A request the server refuses at the protocol level: the connection answers with
 * {@link #status()} and {@code Connection: close}, then closes, so nothing that follows the bad
 * request on that connection is ever read as a request (no smuggling).
 */
public final class HttpException extends RuntimeException {

    private final int status;

    public HttpException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
