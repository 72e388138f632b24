package dev.netpoll.servlet;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.IOException;
import java.io.InputStream;

/** The request body as a {@link ServletInputStream}: blocking reads on the request's task. */
final class RequestBodyStream extends ServletInputStream {

    private final InputStream body;
    private boolean finished;

    RequestBodyStream(InputStream body) {
        this.body = body;
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
        finished = n < 0;
        return n;
    }

    @Override
    public boolean isFinished() {
        return finished;
    }

    @Override
    public boolean isReady() {
        return true;
    }

    @Override
    public void setReadListener(ReadListener listener) {
        throw new IllegalStateException("non-blocking request I/O needs an async request, and async is not supported yet");
    }
}
