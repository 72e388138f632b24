package dev.netpoll.tls;

import dev.netpoll.poll.Conn;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A real connection whose next write, once {@link #cut()} is called, sends half of what it was
 * given and then fails, as a write deadline that passes part-way through does. Counts the bytes
 * written after that failure: a TLS layer must not send any (they would continue a cut record).
 */
final class WriteCutConn extends ForwardingConn {

    private volatile boolean armed;
    private volatile boolean failed;
    private volatile long bytesAfterFailure;

    WriteCutConn(Conn plain) {
        super(plain);
    }

    void cut() {
        armed = true;
    }

    long bytesAfterFailure() {
        return bytesAfterFailure;
    }

    @Override
    public void write(ByteBuffer src) throws IOException {
        if (failed) {
            bytesAfterFailure += src.remaining();
        } else if (armed && src.remaining() > 1) {
            failed = true;
            ByteBuffer half = src.slice(src.position(), src.remaining() / 2);
            plain.write(half);
            src.position(src.position() + src.remaining() / 2);
            throw new IOException("write cut part-way (test)");
        }
        plain.write(src);
    }
}
