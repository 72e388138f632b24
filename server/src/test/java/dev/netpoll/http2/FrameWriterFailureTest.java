package dev.netpoll.http2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netpoll.http.ClientAbortException;
import dev.netpoll.poll.DeadlineExceededException;
import dev.netpoll.sys.NativeBufferPool;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * A write that fails part-way (a write deadline after some bytes left) leaves the client's framing
 * inside a frame: nothing may follow it, or every stream's frames are misread from there on.
 */
class FrameWriterFailureTest {

    @Test
    void aWriteThatFailsPartWayClosesTheWriterAndTheConnection() throws Exception {
        var conn = new ScriptedConn(20, 0); // the 9-byte header and 11 of the 100 data bytes
        var writer = new FrameWriter(conn, 1_000_000_000L, new NativeBufferPool(64 * 1024, 4, "test batch"),
                Thread.ofVirtual()::start);
        var first = new H2Stream(1, 65_535, 65_535, new StreamInput(1_000_000_000L));
        writer.data(first, new byte[100], 0, 100, false);
        assertThatThrownBy(writer::flush).isInstanceOf(IOException.class);
        conn.budget = 1 << 20; // a stream's RST_STREAM would now get out, inside the half-written frame
        int before = conn.sent().length;

        // What later writers get says why: the client is gone (the servlet layer logs no error),
        // because of the failed write.
        assertThatThrownBy(() -> writer.rstStream(1, ErrorCode.INTERNAL_ERROR)).isInstanceOf(ClientAbortException.class)
                .hasCauseInstanceOf(DeadlineExceededException.class);
        var stream = new H2Stream(3, 65_535, 65_535, new StreamInput(1_000_000_000L));
        assertThatThrownBy(() -> writer.data(stream, new byte[10], 0, 10, true)).isInstanceOf(IOException.class);

        assertThat(conn.sent().length).isEqualTo(before);
        assertThat(conn.closed).isTrue();
        assertThatThrownBy(() -> writer.reserve(stream, 10)).isInstanceOf(IOException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void aWriteFailingOnADefectOfOursIsNotPassedOffAsTheClientGoingAway() throws Exception {
        var conn = new ScriptedConn(Integer.MAX_VALUE, 0);
        conn.defect = new IllegalStateException("a bug in the write path");
        var writer = new FrameWriter(conn, 1_000_000_000L, new NativeBufferPool(64 * 1024, 4, "test batch"),
                Thread.ofVirtual()::start);
        // The flusher may start on the frame's header and fail before its payload is appended, so
        // the failure reaches this writer in the append or in the flush, whichever comes second.
        assertThatThrownBy(() -> {
            writer.windowUpdate(1);
            writer.flush();
        }).isInstanceOf(IOException.class);

        assertThatThrownBy(() -> writer.windowUpdate(2)).isInstanceOf(IOException.class)
                .isNotInstanceOf(ClientAbortException.class).hasCauseInstanceOf(IllegalStateException.class);
        assertThat(conn.closed).isTrue();
    }
}
