package dev.netpoll.http;

import java.io.IOException;
import java.io.InputStream;

/**
 * What the two body framings share: reading through the connection's {@link ConnInput}, the
 * {@code 100 Continue} hook before the first read, and the state the connection's drain logic
 * asks about. Owned by the request's task.
 */
abstract sealed class RequestBody extends InputStream permits FixedLengthBody, ChunkedBody {

    final ConnInput input;
    private final BodyStart beforeFirstRead;
    private boolean started;

    RequestBody(ConnInput input, BodyStart beforeFirstRead) {
        this.input = input;
        this.beforeFirstRead = beforeFirstRead;
    }

    /** Runs the first-read hook once; call before any read from the connection. */
    final void start() throws IOException {
        if (!started) {
            started = true;
            beforeFirstRead.run();
        }
    }

    @Override
    public final int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int available() {
        return 0;
    }

    /** Whether the handler began reading (and so the client was told to send the body). */
    final boolean started() {
        return started;
    }

    /** Whether the body was read to its end. */
    abstract boolean finished();
}
