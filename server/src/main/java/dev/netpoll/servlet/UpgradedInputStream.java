package dev.netpoll.servlet;

import dev.netpoll.http.UpgradedConn;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.IOException;

/**
 * What the client sends after the upgrade. Blocking until a {@link ReadListener} is set; after
 * that, {@link #isReady()} reads what has arrived into a small stash without parking, and reads
 * take from it. Used by the connection's task (and the handler's own thread, in blocking mode),
 * one reader at a time.
 */
public final class UpgradedInputStream extends ServletInputStream {

    private static final int STASH_SIZE = 8192;

    private final UpgradedConn conn;
    private ReadListener listener;
    /** Bytes read by isReady and not yet taken, {@code stash[start, end)}; dropped when drained. */
    private byte[] stash;
    private int start;
    private int end;
    private boolean finished;

    UpgradedInputStream(UpgradedConn conn) {
        this.conn = conn;
    }

    ReadListener listener() {
        return listener;
    }

    @Override
    public boolean isFinished() {
        return finished && start == end;
    }

    @Override
    public boolean isReady() {
        if (start < end || finished) {
            return true;
        }
        byte[] into = new byte[STASH_SIZE];
        int n;
        try {
            n = conn.readNow(into, 0, into.length);
        } catch (IOException e) {
            finished = true;
            return true;
        }
        if (n < 0) {
            finished = true;
            return true;
        }
        if (n == 0) {
            return false;
        }
        stash = into;
        start = 0;
        end = n;
        return true;
    }

    @Override
    public void setReadListener(ReadListener readListener) {
        if (readListener == null) {
            throw new NullPointerException("readListener");
        }
        if (listener != null) {
            throw new IllegalStateException("a ReadListener is already set");
        }
        listener = readListener;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (start < end) {
            int n = Math.min(len, end - start);
            System.arraycopy(stash, start, b, off, n);
            start += n;
            if (start == end) {
                stash = null;
                start = end = 0;
            }
            return n;
        }
        if (finished) {
            return -1;
        }
        if (listener != null) {
            if (!isReady()) {
                throw new IllegalStateException("read while isReady() is false");
            }
            return finished ? -1 : read(b, off, len);
        }
        int n = conn.read(b, off, len);
        if (n < 0) {
            finished = true;
        }
        return n;
    }
}
