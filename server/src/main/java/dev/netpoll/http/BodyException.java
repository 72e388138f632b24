package dev.netpoll.http;

import java.io.IOException;

/**
 * A request body the server cannot accept: malformed chunked framing (400), over the size limit
 * (413), or cut short by the client. The handler sees it as an {@link IOException} from the body
 * stream; the connection answers {@link #status()} if nothing was sent yet, and always closes,
 * since the framing of what follows is unknown.
 */
public final class BodyException extends IOException {

    private final int status;

    public BodyException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
