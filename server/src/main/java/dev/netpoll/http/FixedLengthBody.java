package dev.netpoll.http;

import java.io.IOException;
import java.io.InputStream;

/** A request body framed by Content-Length (RFC 9112 section 6.2). Owned by the request's task. */
final class FixedLengthBody extends InputStream {

    private final ConnInput input;
    private final BodyStart beforeFirstRead;
    private long remaining;
    private boolean started;

    FixedLengthBody(ConnInput input, long length, BodyStart beforeFirstRead) {
        this.input = input;
        this.remaining = length;
        this.beforeFirstRead = beforeFirstRead;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (remaining == 0) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        if (!started) {
            started = true;
            beforeFirstRead.run();
        }
        int n = input.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
            throw new BodyException(400, "client closed the connection with " + remaining + " body bytes unsent");
        }
        remaining -= n;
        return n;
    }

    @Override
    public int available() {
        return 0;
    }

    boolean finished() {
        return remaining == 0;
    }

    long remaining() {
        return remaining;
    }

    boolean started() {
        return started;
    }
}
