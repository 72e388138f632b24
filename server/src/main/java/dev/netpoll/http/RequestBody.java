package dev.netpoll.http;

import java.io.IOException;
import java.io.InputStream;

/**
 * What the two body framings share: reading through the connection's {@link ConnInput}, the
 * {@code 100 Continue} hook before the first read, and the state the connection's drain logic
 * asks about. Owned by the request's task.
 *
 * <p>A failed read poisons the body: once the bytes can no longer be trusted to end where the
 * framing says (a malformed chunk line, a stall, a short body), every later read fails with the
 * same exception, whatever the application did with the first one, and the connection reads no
 * further request after it.
 */
abstract sealed class RequestBody extends InputStream permits FixedLengthBody, ChunkedBody {

    final ConnInput input;
    private final BodyStart beforeFirstRead;
    private boolean started;
    private IOException failure;
    private Runnable onPoisoned = () -> { };
    private Exchange exchange = new Exchange();

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

    /** Reads through {@code exchange}: a read after it ended fails instead of taking the next request's bytes. */
    final void guardedBy(Exchange value) {
        exchange = value;
    }

    @Override
    public final int read(byte[] b, int off, int len) throws IOException {
        exchange.enter();
        try {
            return readTracked(b, off, len);
        } finally {
            exchange.exit();
        }
    }

    /** The connection's own read (the drain after the exchange): poisons on failure, not guarded. */
    final int readTracked(byte[] b, int off, int len) throws IOException {
        if (failure != null) {
            throw failure;
        }
        try {
            return readFramed(b, off, len);
        } catch (IOException e) {
            failure = e;
            onPoisoned.run();
            throw e;
        }
    }

    /** Reads per the framing; any exception poisons the body. */
    abstract int readFramed(byte[] b, int off, int len) throws IOException;

    /**
     * Runs {@code action} when a read first fails, so that a response committed afterwards already
     * says {@code Connection: close}.
     */
    final void onPoisoned(Runnable action) {
        onPoisoned = action;
    }

    /** Whether a read failed: the connection must close after this exchange. */
    final boolean failed() {
        return failure != null;
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
