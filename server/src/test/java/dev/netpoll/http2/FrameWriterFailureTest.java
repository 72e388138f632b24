package dev.netpoll.http2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netpoll.poll.Conn;
import dev.netpoll.poll.DeadlineExceededException;
import dev.netpoll.poll.WaitReason;
import dev.netpoll.sys.NativeBuffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * A write that fails part-way (a write deadline after some bytes left) leaves the client's framing
 * inside a frame: nothing may follow it, or every stream's frames are misread from there on.
 */
class FrameWriterFailureTest {

    /** Takes the first {@code budget} bytes, then times out as a stalled socket does. */
    static final class StallingConn implements Conn {
        final ByteArrayOutputStream sent = new ByteArrayOutputStream();
        int budget;
        volatile boolean closed;

        StallingConn(int budget) {
            this.budget = budget;
        }

        @Override
        public void write(ByteBuffer src) throws IOException {
            if (closed) {
                throw new IOException("closed");
            }
            while (src.hasRemaining()) {
                if (budget == 0) {
                    throw new DeadlineExceededException("write");
                }
                sent.write(src.get());
                budget--;
            }
        }

        @Override
        public void write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            for (int i = offset; i < offset + length; i++) {
                write(srcs[i]);
            }
        }

        @Override
        public void close() {
            closed = true;
        }

        @Override
        public boolean isOpen() {
            return !closed;
        }

        @Override
        public int read(ByteBuffer dst) {
            return -1;
        }

        @Override
        public int readNow(NativeBuffer dst) {
            return -1;
        }

        @Override
        public void awaitReadable() {
        }

        @Override
        public void setReadDeadline(long deadlineNanos) {
        }

        @Override
        public void setWriteDeadline(long deadlineNanos) {
        }

        @Override
        public void shutdownOutput() {
        }

        @Override
        public WaitReason parkedOn() {
            return null;
        }

        @Override
        public InetSocketAddress remoteAddress() {
            return null;
        }

        @Override
        public InetSocketAddress localAddress() {
            return null;
        }
    }

    @Test
    void aWriteThatFailsPartWayClosesTheWriterAndTheConnection() throws Exception {
        var conn = new StallingConn(20); // the 9-byte header and 11 of the 100 data bytes
        var writer = new FrameWriter(conn, 1_000_000_000L);
        assertThatThrownBy(() -> writer.data(1, new byte[100], 0, 100, false)).isInstanceOf(IOException.class);
        conn.budget = 1 << 20; // a stream's RST_STREAM would now get out, inside the half-written frame
        int before = conn.sent.size();

        assertThatThrownBy(() -> writer.rstStream(1, ErrorCode.INTERNAL_ERROR)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> writer.data(3, new byte[10], 0, 10, true)).isInstanceOf(IOException.class);

        assertThat(conn.sent.size()).isEqualTo(before);
        assertThat(conn.closed).isTrue();
        var stream = new H2Stream(3, 65_535, 65_535, new StreamInput(1_000_000_000L));
        assertThatThrownBy(() -> writer.reserve(stream, 10)).isInstanceOf(IOException.class)
                .hasMessageContaining("closed");
    }
}
