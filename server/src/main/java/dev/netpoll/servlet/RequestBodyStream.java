package dev.netpoll.servlet;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The request body as a {@link ServletInputStream}: blocking reads on the request's task.
 *
 * <p>Non-blocking reads (Servlet 6.1 section 5.3) are served on a task of their own, where a read
 * that waits for the network parks that task instead of blocking a thread: {@link #isReady()} is
 * true until the body ends, {@code onDataAvailable} is called until then, {@code onAllDataRead}
 * after it. Correct, if not the fastest possible.
 */
final class RequestBodyStream extends ServletInputStream {

    private final InputStream body;
    private final ContainerRequest request;
    private volatile boolean finished;
    private ReadListener listener;

    RequestBodyStream(InputStream body, ContainerRequest request) {
        this.body = body;
        this.request = request;
    }

    @Override
    public int read() throws IOException {
        int b = body.read();
        finished = b < 0;
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = body.read(b, off, len);
        if (n < 0) {
            finished = true;
        }
        return n;
    }

    @Override
    public boolean isFinished() {
        return finished;
    }

    @Override
    public boolean isReady() {
        return !finished;
    }

    @Override
    public void setReadListener(ReadListener readListener) {
        if (readListener == null) {
            throw new NullPointerException("read listener must not be null");
        }
        if (!request.isAsyncStarted()) {
            throw new IllegalStateException("setReadListener needs an async request (call startAsync first)");
        }
        if (listener != null) {
            throw new IllegalStateException("a read listener is already set");
        }
        listener = readListener;
        request.asyncState().startListenerTask(() -> {
            try {
                while (!finished) {
                    readListener.onDataAvailable();
                }
                readListener.onAllDataRead();
            } catch (Throwable t) {
                readListener.onError(t);
            }
        });
    }
}
