package dev.netpoll.servlet;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The response body as a {@link ServletOutputStream}. While the response is suspended (after
 * {@code sendError} or {@code sendRedirect}, until the error page runs) writes are dropped, as the
 * specification requires. {@code flush} from the application commits; the container's own final
 * flush of a writer goes through {@link #flushQuietly} so that a response that fits the buffer
 * still gets a Content-Length. Owned by the request's task, or by the task an async request hands
 * it to.
 */
final class ResponseBodyStream extends ServletOutputStream {

    private final OutputStream body;
    private final ContainerRequest request;
    private WriteListener listener;
    private boolean suspended;
    private boolean quiet;
    private boolean closed;

    ResponseBodyStream(OutputStream body, ContainerRequest request) {
        this.body = body;
        this.request = request;
    }

    void suspend(boolean value) {
        suspended = value;
    }

    boolean isSuspended() {
        return suspended;
    }

    /** Pushes what a writer holds into the body buffer without committing the response. */
    void flushQuietly(java.io.Writer writer) throws IOException {
        quiet = true;
        try {
            writer.flush();
        } finally {
            quiet = false;
        }
    }

    @Override
    public void write(int b) throws IOException {
        if (!suspended && !closed) {
            body.write(b);
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (!suspended && !closed) {
            body.write(b, off, len);
        }
    }

    @Override
    public void flush() throws IOException {
        if (!suspended && !quiet && !closed) {
            body.flush();
        }
    }

    /** Closing ends the application's writing; the container finishes the response afterwards. */
    @Override
    public void close() throws IOException {
        if (!closed && !suspended) {
            body.flush();
        }
        closed = true;
    }

    void reopen() {
        closed = false;
    }

    @Override
    public boolean isReady() {
        return true;
    }

    /**
     * Non-blocking writes (Servlet 6.1 section 5.4) on a task of their own: a write that finds the
     * socket full parks that task, so {@link #isReady()} is always true and
     * {@code onWritePossible} is called once.
     */
    @Override
    public void setWriteListener(WriteListener writeListener) {
        if (writeListener == null) {
            throw new NullPointerException("write listener must not be null");
        }
        if (!request.isAsyncStarted()) {
            throw new IllegalStateException("setWriteListener needs an async request (call startAsync first)");
        }
        if (listener != null) {
            throw new IllegalStateException("a write listener is already set");
        }
        listener = writeListener;
        request.asyncState().startListenerTask(() -> {
            try {
                writeListener.onWritePossible();
            } catch (Throwable t) {
                writeListener.onError(t);
            }
        });
    }
}
