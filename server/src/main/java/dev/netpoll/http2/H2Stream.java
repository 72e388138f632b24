package dev.netpoll.http2;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One stream (RFC 9113 section 5.1), as the server sees it. The states we pass through:
 *
 * <pre>
 *   idle --HEADERS--> open --END_STREAM received--> half-closed (remote) --response ends--> closed
 *   idle --HEADERS+END_STREAM--> half-closed (remote)
 *   open --response ends before the request body--> closed (we send RST_STREAM NO_ERROR, section 8.1)
 *   any --RST_STREAM sent or received--> closed
 * </pre>
 *
 * "Response ends" is the stream's task finishing; the stream leaves the connection's table then,
 * so a stream counts against SETTINGS_MAX_CONCURRENT_STREAMS until its handler has returned,
 * even after a reset (what defeats rapid reset's unbounded work, CVE-2023-44487).
 *
 * <p>Ownership: {@code remoteEnded}, {@code declaredLength} and {@code received} are the reading
 * task's ({@code remoteEnded} is volatile because the stream's task reads it when it ends);
 * {@code localEnded} is the stream's task's, volatile for the reader;
 * {@code sendWindow} and {@code parkedOnWindow} are guarded by the writer's flow lock;
 * {@code recvWindow} is atomic (the reader takes, the stream's task gives back);
 * {@code unacked} is atomic (the stream task adds what the application read, the reader adds padding); {@code resetCode} is set once, by CAS, by whoever resets first.
 */
final class H2Stream {

    final int id;
    final StreamInput input;
    long sendWindow;
    boolean parkedOnWindow;
    final AtomicInteger recvWindow;
    final AtomicInteger unacked = new AtomicInteger();
    volatile boolean remoteEnded;
    /**
     * Set by the stream's task just before it hands the frame with END_STREAM to the writer: from
     * then on the peer may see the stream closed, so the reader must too, although the stream
     * stays in the table until its task has returned.
     */
    volatile boolean localEnded;
    long declaredLength = -1;
    long received;
    /** -1 while the stream is live; the RST_STREAM code once it is reset, by either side. */
    private volatile int resetCode = -1;
    /** The request line, for the runtime view; set before the task starts. */
    volatile String requestLine = "";
    /** Where trailers go: the request's; filled by the reader before it ends the input. */
    dev.netpoll.http.HttpHeaders trailers;
    /** The stream's task, interrupted when the connection is closed at once. */
    volatile Thread task;
    /**
     * Orders a 100 Continue (sent by whichever thread first reads the body) before the final
     * response's HEADERS (sent by whichever thread holds the response): a 1xx after the final
     * status is a protocol error on the client's side (section 8.1). Guards {@code finalStarted}.
     */
    private final java.util.concurrent.locks.ReentrantLock head = new java.util.concurrent.locks.ReentrantLock();
    private boolean finalStarted;

    private static final java.lang.invoke.VarHandle RESET_CODE;

    static {
        try {
            RESET_CODE = java.lang.invoke.MethodHandles.lookup().findVarHandle(H2Stream.class, "resetCode", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    H2Stream(int id, long sendWindow, int recvWindow, StreamInput input) {
        this.id = id;
        this.sendWindow = sendWindow;
        this.recvWindow = new AtomicInteger(recvWindow);
        this.input = input;
    }

    /**
     * Marks the stream reset; false if it already was (the first code stands). A CAS: the reader
     * (the client's RST_STREAM) and the stream's task (our own reset) may race, and only the
     * winner may send RST_STREAM.
     */
    boolean reset(int code) {
        return RESET_CODE.compareAndSet(this, -1, code);
    }

    /** The response output: its final HEADERS goes out next. Waits for a 100 Continue being written. */
    void finalHeadersNext() {
        head.lock();
        try {
            finalStarted = true;
        } finally {
            head.unlock();
        }
    }

    /** Writes a 1xx with {@code send} unless the final response has begun or the stream was reset. */
    void informational(IoAction send) throws IOException {
        head.lock();
        try {
            if (!finalStarted && !isReset()) {
                send.run();
            }
        } finally {
            head.unlock();
        }
    }

    interface IoAction {
        void run() throws IOException;
    }

    boolean isReset() {
        return resetCode >= 0;
    }

    void checkWritable() throws IOException {
        int code = resetCode;
        if (code >= 0) {
            throw new StreamResetException(id, code);
        }
    }
}
