package dev.netpoll.servlet;

import dev.netpoll.http.UpgradedConn;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * What the server sends after the upgrade: each write goes to the socket at once, parking the
 * writing thread while the socket buffer is full (one writer at a time, as for any stream). Always
 * ready, so a {@link WriteListener} is called back at once, on the thread that sets it.
 */
public final class UpgradedOutputStream extends ServletOutputStream {

    private final UpgradedConn conn;

    UpgradedOutputStream(UpgradedConn conn) {
        this.conn = conn;
    }

    @Override
    public boolean isReady() {
        return true;
    }

    @Override
    public void setWriteListener(WriteListener writeListener) {
        try {
            writeListener.onWritePossible();
        } catch (IOException | RuntimeException e) {
            writeListener.onError(e);
        }
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        conn.write(ByteBuffer.wrap(b, off, len));
    }

    @Override
    public void close() {
        conn.close();
    }
}
