package dev.netpoll.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netpoll.poll.Conn;
import dev.netpoll.poll.Listener;
import dev.netpoll.poll.Transport;
import dev.netpoll.sys.NativeBuffer;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * TlsConn as a Conn, under the HTTP layer's feet, on both transports: reads into buffers smaller
 * than a record (the spill buffer), readNow that never parks and hands over what has arrived, and
 * every record buffer back in the pool once nothing is in flight.
 */
class TlsConnTest {

    @TempDir
    static Path dir;
    static Path store;
    static SSLContext server;
    static SSLContext client;

    @BeforeAll
    static void certificates() throws Exception {
        store = TestCertificates.keyStore(dir, "conn", "EC", "localhost");
        server = TestCertificates.serverContext(store, null);
        client = TestCertificates.clientContext(store, null);
    }

    /** Accepts one connection on a task, wraps it and runs {@code serve} on it. */
    private static CompletableFuture<Void> acceptOne(Listener listener, TlsContext tls, ServeConn serve) {
        var done = new CompletableFuture<Void>();
        Thread.ofVirtual().start(() -> {
            try (TlsConn conn = tls.wrap(listener.accept(), Duration.ofSeconds(10))) {
                serve.serve(conn);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
            done.complete(null); // after close, which gives the last buffers back
        });
        return done;
    }

    interface ServeConn {
        void serve(TlsConn conn) throws Exception;
    }

    /**
     * Accepts one connection on a task, passes it through {@code wrap} (a test wrapper that
     * injects a fault or holds a call) under TLS and runs {@code serve}; the future has its result
     * once the connection is closed.
     */
    private static <W extends Conn, T> CompletableFuture<T> serveWrapped(Listener listener, TlsContext tls,
            java.util.function.Function<Conn, W> wrap, ServeWrapped<W, T> serve) {
        var outcome = new CompletableFuture<T>();
        Thread.ofVirtual().start(() -> {
            try {
                W wrapped = wrap.apply(listener.accept());
                T result;
                try (TlsConn conn = tls.wrap(wrapped, Duration.ofSeconds(10))) {
                    result = serve.serve(wrapped, conn);
                }
                outcome.complete(result);
            } catch (Throwable t) {
                outcome.completeExceptionally(t);
            }
        });
        return outcome;
    }

    interface ServeWrapped<W, T> {
        T serve(W wrapped, TlsConn conn) throws Exception;
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    @Timeout(60)
    void smallReadsSpillLargeRecordsAndReadNowNeverParks(String transportName) throws Exception {
        byte[] payload = new byte[200_000];
        new java.util.Random(7).nextBytes(payload);
        try (Transport transport = Transport.open(transportName, 1);
                Listener listener = transport.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16)) {
            TlsContext tls = TlsContext.builder(() -> server).build();
            var served = acceptOne(listener, tls, conn -> {
                // Before the handshake readNow has nothing to give, and does not park.
                var small = new NativeBuffer(7);
                assertThat(conn.readNow(small)).isZero();
                conn.awaitReadable(); // runs the handshake
                var received = new ByteArrayOutputStream();
                while (received.size() < payload.length) {
                    small.buffer().clear();
                    int n = conn.readNow(small);
                    if (n == 0) {
                        conn.awaitReadable();
                        continue;
                    }
                    assertThat(n).isPositive();
                    received.write(copy(small.buffer().flip()));
                }
                assertThat(received.toByteArray()).isEqualTo(payload);
                assertThat(tls.recordBuffersLent()).isZero(); // all consumed: nothing held
                conn.write(ByteBuffer.wrap(payload));
                // The peer's close_notify: end of stream.
                assertThat(conn.read(ByteBuffer.allocate(16))).isEqualTo(-1);
            });
            try (var socket = (SSLSocket) client.getSocketFactory().createSocket("localhost", listener.localAddress().getPort())) {
                socket.setSoTimeout(20_000);
                socket.getOutputStream().write(payload);
                InputStream in = socket.getInputStream();
                assertThat(in.readNBytes(payload.length)).isEqualTo(payload);
                socket.shutdownOutput(); // sends close_notify
                assertThat(in.read()).isEqualTo(-1); // ours, after the server closed
            }
            served.get(20, TimeUnit.SECONDS);
            assertThat(tls.recordBuffersLent()).isZero();
        }
    }

    /**
     * A record cut in two by TCP, read with a parking read into a buffer smaller than the record:
     * the half that came first must not leave an empty spill buffer that hides the whole record
     * once the rest arrives (the read parked until its deadline).
     */
    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    @Timeout(60)
    void aRecordThatArrivesInTwoHalvesIsReadOnceWhole(String transportName) throws Exception {
        byte[] payload = new byte[12_000];
        new java.util.Random(11).nextBytes(payload);
        try (Transport transport = Transport.open(transportName, 1);
                Listener listener = transport.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
                var proxy = new SegmentingProxy(listener.localAddress())) {
            TlsContext tls = TlsContext.builder(() -> server).build();
            var received = new ByteArrayOutputStream();
            var served = acceptOne(listener, tls, conn -> {
                var small = ByteBuffer.allocate(7);
                while (received.size() < payload.length) {
                    small.clear();
                    int n = conn.read(small);
                    assertThat(n).isPositive();
                    received.write(copy(small.flip()));
                }
                conn.write(ByteBuffer.wrap(new byte[] {'o', 'k'}));
            });
            try (var socket = (SSLSocket) client.getSocketFactory().createSocket("localhost", proxy.port())) {
                socket.setSoTimeout(20_000);
                socket.startHandshake();
                proxy.splitRecords();
                socket.getOutputStream().write(payload); // one record, reaching the server in two reads
                assertThat(socket.getInputStream().readNBytes(2)).isEqualTo(new byte[] {'o', 'k'});
            }
            served.get(20, TimeUnit.SECONDS);
            assertThat(received.toByteArray()).isEqualTo(payload);
        }
    }

    /**
     * A record header that announces more than a record buffer holds: the record can never
     * complete, so the read fails at once instead of waiting on a full buffer until the deadline.
     * (The JDK's engine refuses such a header itself; CipherInput's own guard is for an engine
     * that would wait for the rest.)
     */
    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    @Timeout(60)
    void aRecordLargerThanTheBufferFailsTheReadAtOnce(String transportName) throws Exception {
        try (Transport transport = Transport.open(transportName, 1);
                Listener listener = transport.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
                var proxy = new SegmentingProxy(listener.localAddress())) {
            TlsContext tls = TlsContext.builder(() -> server).build();
            var failure = new CompletableFuture<Throwable>();
            var served = acceptOne(listener, tls, conn -> {
                var buffer = new NativeBuffer(4096);
                try {
                    for (;;) {
                        buffer.buffer().clear();
                        if (conn.readNow(buffer) == 0) {
                            conn.awaitReadable();
                        }
                    }
                } catch (java.io.IOException e) {
                    failure.complete(e);
                }
            });
            try (var socket = (SSLSocket) client.getSocketFactory().createSocket("localhost", proxy.port())) {
                socket.setEnabledProtocols(new String[] {"TLSv1.2"});
                socket.startHandshake();
                int length = 20_000;
                byte[] record = new byte[5 + length];
                record[0] = 23; // application_data
                record[1] = 3;
                record[2] = 3;
                record[3] = (byte) (length >> 8);
                record[4] = (byte) length;
                proxy.inject(record);
                assertThat(failure.get(10, TimeUnit.SECONDS)).isInstanceOf(javax.net.ssl.SSLException.class);
            }
            served.get(20, TimeUnit.SECONDS);
        }
    }

    /**
     * A write that fails part-way through a record (a write deadline passing, a reset) leaves the
     * peer holding half a record: anything written after it, a close_notify included, would be
     * read as the rest of that record. Once a write failed, the connection writes nothing more.
     */
    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    @Timeout(60)
    void nothingIsWrittenAfterAWriteFailedPartWayThroughARecord(String transportName) throws Exception {
        try (Transport transport = Transport.open(transportName, 1);
                Listener listener = transport.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16)) {
            TlsContext tls = TlsContext.builder(() -> server).build();
            var cutConn = new java.util.concurrent.atomic.AtomicReference<WriteCutConn>();
            var outcome = serveWrapped(listener, tls, WriteCutConn::new, (cut, conn) -> {
                cutConn.set(cut);
                long[] result = new long[2];
                conn.awaitReadable(); // the handshake, then the client's byte
                conn.read(ByteBuffer.allocateDirect(16));
                conn.write(ByteBuffer.wrap("before".getBytes()));
                cut.cut();
                try {
                    conn.write(ByteBuffer.wrap(new byte[4000]));
                } catch (java.io.IOException e) {
                    result[0] = 1;
                }
                try {
                    conn.write(ByteBuffer.wrap("after".getBytes()));
                } catch (java.io.IOException e) {
                    result[1] = 1;
                }
                return result;
            });
            try (var socket = (SSLSocket) client.getSocketFactory().createSocket("localhost", listener.localAddress().getPort())) {
                socket.getOutputStream().write('x');
                socket.getOutputStream().flush();
                assertThat(socket.getInputStream().readNBytes(6)).isEqualTo("before".getBytes());
                long[] result = outcome.get(20, TimeUnit.SECONDS);
                assertThat(result[0]).as("the cut write failed").isEqualTo(1);
                assertThat(result[1]).as("a later write fails too").isEqualTo(1);
                // read once the connection closed: its close must not write behind the cut either
                assertThat(cutConn.get().bytesAfterFailure()).as("bytes written behind the cut record").isZero();
            }
        }
    }

    /**
     * The reader answers a TLS 1.3 key update with a write bounded by the handshake timeout,
     * whatever deadline the last response left. Another thread (an HTTP/2 flusher) that sets its
     * write deadline meanwhile must neither lift that bound from the reply (here to none, which
     * would let a client that stops reading hold the reader forever) nor be lost when it ends.
     */
    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    @Timeout(60)
    void aWriteDeadlineSetDuringAKeyUpdateReplyNeitherLiftsItsBoundNorIsLost(String transportName) throws Exception {
        try (Transport transport = Transport.open(transportName, 1);
                Listener listener = transport.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16)) {
            TlsContext tls = TlsContext.builder(() -> server).build();
            var outcome = serveWrapped(listener, tls, WriteGateConn::new, (gate, conn) -> {
                long[] result = new long[2];
                var buffer = ByteBuffer.allocate(16);
                conn.read(buffer); // the handshake, then the client's 'x'
                conn.setWriteDeadline(System.nanoTime() + Duration.ofMinutes(5).toNanos());
                conn.write(ByteBuffer.wrap(new byte[] {'a'}));
                var inReply = gate.holdNextWrite();
                var flusher = Thread.ofVirtual().start(() -> {
                    try {
                        inReply.await();
                        conn.setWriteDeadline(0);
                        result[0] = gate.writeDeadline();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        gate.release();
                    }
                });
                buffer.clear();
                conn.read(buffer); // the key update, answered, then 'y'
                flusher.join();
                result[1] = gate.writeDeadline();
                return result;
            });
            try (var socket = (SSLSocket) client.getSocketFactory().createSocket("localhost", listener.localAddress().getPort())) {
                socket.setEnabledProtocols(new String[] {"TLSv1.3"});
                socket.setSoTimeout(20_000);
                socket.getOutputStream().write('x');
                socket.getOutputStream().flush();
                assertThat(socket.getInputStream().read()).isEqualTo('a');
                socket.startHandshake(); // on TLS 1.3: a KeyUpdate that asks the server to update its keys too
                socket.getOutputStream().write('y');
                socket.getOutputStream().flush();
                long[] result = outcome.get(20, TimeUnit.SECONDS);
                assertThat(result[0]).as("the socket's write deadline during the reply").isNotZero();
                assertThat(result[1]).as("the socket's write deadline after it: the flusher's, none").isZero();
            }
        }
    }

    /**
     * A read deadline set from another thread as the handshake ends (a graceful shutdown expiring
     * quiet connections) must not be overwritten by the handshake putting back the deadline it
     * read before: the connection would then stay open until its old deadline.
     */
    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    @Timeout(60)
    void aReadDeadlineSetAsTheHandshakeEndsIsNotLost(String transportName) throws Exception {
        try (Transport transport = Transport.open(transportName, 1);
                Listener listener = transport.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16)) {
            TlsContext tls = TlsContext.builder(() -> server).build();
            long expiry = System.nanoTime() + Duration.ofMinutes(7).toNanos();
            // The handshake's first call caps the deadline, its second puts the caller's back.
            var outcome = serveWrapped(listener, tls, plain -> new ReadDeadlineGateConn(plain, 2), (gate, conn) -> {
                var expire = Thread.ofVirtual().unstarted(() -> conn.setReadDeadline(expiry));
                var watcher = Thread.ofVirtual().start(() -> {
                    try {
                        gate.entered().await();
                        expire.start();
                        // until it is done, or waits for the handshake to finish forwarding
                        for (int i = 0; i < 200 && expire.isAlive() && expire.getState() != Thread.State.WAITING; i++) {
                            Thread.sleep(5);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        gate.release();
                    }
                });
                conn.read(ByteBuffer.allocate(16)); // the handshake, then the client's 'x'
                watcher.join();
                expire.join();
                return gate.readDeadline();
            });
            try (var socket = (SSLSocket) client.getSocketFactory().createSocket("localhost", listener.localAddress().getPort())) {
                socket.setSoTimeout(20_000);
                socket.getOutputStream().write('x');
                socket.getOutputStream().flush();
                assertThat(outcome.get(20, TimeUnit.SECONDS)).as("the socket's read deadline").isEqualTo(expiry);
            }
        }
    }

    private static byte[] copy(ByteBuffer flipped) {
        byte[] bytes = new byte[flipped.remaining()];
        flipped.get(bytes);
        return bytes;
    }
}
