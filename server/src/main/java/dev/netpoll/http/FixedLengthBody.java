package dev.netpoll.http;

import java.io.IOException;

/** A request body framed by Content-Length (RFC 9112 section 6.2). Owned by the request's task. */
final class FixedLengthBody extends RequestBody {

    private long remaining;

    FixedLengthBody(ConnInput input, long length, BodyStart beforeFirstRead) {
        super(input, beforeFirstRead);
        this.remaining = length;
    }

    @Override
    int readFramed(byte[] b, int off, int len) throws IOException {
        if (remaining == 0) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        start();
        int n = input.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
            throw new BodyException(400, "client closed the connection with " + remaining + " body bytes unsent");
        }
        remaining -= n;
        return n;
    }

    @Override
    boolean finished() {
        return remaining == 0;
    }

    long remaining() {
        return remaining;
    }
}
