package dev.netpoll.poll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.DataInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The behaviour every transport must show, over real loopback sockets. */
abstract class TransportContract {

    abstract String transportName();

    /** Platform threads the transport may add for polling: its pollers. */
    int pollingThreads(Transport transport) {
        return transport.pollerThreads();
    }

    private Socket connect(EchoServer server) throws IOException {
        var socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
        socket.setSoTimeout(20_000);
        return socket;
    }

    @Test
    void echoesManySmallRoundTrips() throws Exception {
        try (var server = new EchoServer(transportName(), EchoServer.echo(4096));
                var socket = connect(server)) {
            OutputStream out = socket.getOutputStream();
            var in = new DataInputStream(socket.getInputStream());
            for (int i = 0; i < 2_000; i++) {
                byte[] message = ("message " + i).getBytes(StandardCharsets.US_ASCII);
                out.write(message);
                byte[] echoed = new byte[message.length];
                in.readFully(echoed);
                assertThat(echoed).isEqualTo(message);
            }
        }
    }

    @Test
    @Timeout(60)
    void echoesPayloadsLargerThanTheSocketBuffersWithPartialReadsAndWrites() throws Exception {
        int size = 32 * 1024 * 1024;
        try (var server = new EchoServer(transportName(), EchoServer.echo(256 * 1024));
                var socket = connect(server)) {
            byte[] payload = new byte[size];
            new Random(42).nextBytes(payload);
            var sent = new CRC32();
            sent.update(payload);
            // Write and read at once: the echo backs up into both socket buffers otherwise.
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    for (int off = 0; off < size; off += 1_000_003) {
                        out.write(payload, off, Math.min(1_000_003, size - off));
                    }
                    socket.shutdownOutput();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            var received = new CRC32();
            long total = 0;
            InputStream in = socket.getInputStream();
            byte[] chunk = new byte[65536];
            for (int n; (n = in.read(chunk)) > 0; ) {
                received.update(chunk, 0, n);
                total += n;
            }
            writer.get(30, TimeUnit.SECONDS);
            assertThat(total).isEqualTo(size);
            assertThat(received.getValue()).isEqualTo(sent.getValue());
        }
    }

    @Test
    void gatheringWriteSendsAllBuffersInOrder() throws Exception {
        List<ByteBuffer> parts = new ArrayList<>();
        var expected = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            String text = "part-" + i + "-" + "x".repeat(i * 1000) + ";";
            expected.append(text);
            byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
            parts.add(i % 2 == 0 ? ByteBuffer.allocateDirect(bytes.length).put(bytes).flip() : ByteBuffer.wrap(bytes));
        }
        try (var server = new EchoServer(transportName(), conn -> {
                    conn.write(parts.toArray(ByteBuffer[]::new), 0, parts.size());
                    conn.shutdownOutput();
                });
                var socket = connect(server)) {
            String got = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(got).isEqualTo(expected.toString());
        }
    }

    @Test
    void halfCloseDeliversEndOfStreamAndTheOtherDirectionStillWorks() throws Exception {
        try (var server = new EchoServer(transportName(), EchoServer.echo(4096));
                var socket = connect(server)) {
            socket.getOutputStream().write("last words".getBytes(StandardCharsets.US_ASCII));
            socket.shutdownOutput();
            // The echo server reads the words, then end of stream, then half-closes its side.
            byte[] all = socket.getInputStream().readAllBytes();
            assertThat(new String(all, StandardCharsets.US_ASCII)).isEqualTo("last words");
        }
    }

    @Test
    void peerResetFailsTheParkedReadWithAnError() throws Exception {
        var failure = new CompletableFuture<Throwable>();
        try (var server = new EchoServer(transportName(), conn -> {
                    ByteBuffer buffer = ByteBuffer.allocateDirect(64);
                    try {
                        while (conn.read(buffer.clear()) >= 0) {
                            // keep reading until the reset arrives
                        }
                        failure.complete(null);
                    } catch (IOException e) {
                        failure.complete(e);
                    }
                })) {
            var socket = connect(server);
            socket.getOutputStream().write(1);
            await().until(() -> server.transport.stats().parked(WaitReason.READ) == 1);
            socket.setSoLinger(true, 0);
            socket.close();
            Throwable thrown = failure.get(10, TimeUnit.SECONDS);
            assertThat(thrown).isInstanceOf(IOException.class);
            assertThat(thrown.getMessage()).containsAnyOf("ECONNRESET", "Connection reset");
        }
    }

    @Test
    void deadlineWakesAParkedReadWithATimeout() throws Exception {
        var outcome = new CompletableFuture<Throwable>();
        try (var server = new EchoServer(transportName(), conn -> {
                    long start = System.nanoTime();
                    conn.setReadDeadline(start + TimeUnit.MILLISECONDS.toNanos(200));
                    try {
                        conn.read(ByteBuffer.allocateDirect(16));
                        outcome.complete(null);
                    } catch (IOException e) {
                        outcome.complete(e);
                    }
                });
                var socket = connect(server)) {
            long start = System.nanoTime();
            Throwable thrown = outcome.get(10, TimeUnit.SECONDS);
            long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(thrown).isInstanceOf(DeadlineExceededException.class);
            assertThat(elapsedMillis).isBetween(150L, 5_000L);
        }
    }

    @Test
    void shorteningTheDeadlineOfAParkedReadWakesIt() throws Exception {
        var conns = new CompletableFuture<Conn>();
        var outcome = new CompletableFuture<Throwable>();
        try (var server = new EchoServer(transportName(), conn -> {
                    conn.setReadDeadline(System.nanoTime() + TimeUnit.HOURS.toNanos(1));
                    conns.complete(conn);
                    try {
                        conn.read(ByteBuffer.allocateDirect(16));
                        outcome.complete(null);
                    } catch (IOException e) {
                        outcome.complete(e);
                    }
                });
                var socket = connect(server)) {
            Conn conn = conns.get(10, TimeUnit.SECONDS);
            await().until(() -> server.transport.stats().parked(WaitReason.READ) == 1);
            conn.setReadDeadline(System.nanoTime());
            assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(DeadlineExceededException.class);
        }
    }

    @Test
    void aDeadlineSetToThePastWhileNobodyWaitsFailsTheNextReadAtOnce() throws Exception {
        var outcome = new CompletableFuture<Throwable>();
        var took = new CompletableFuture<Long>();
        try (var server = new EchoServer(transportName(), conn -> {
                    // Set by the reader itself, before it waits: no waiter to wake, so the read's
                    // own check must find the deadline passed (nothing arrives to end it otherwise).
                    conn.setReadDeadline(System.nanoTime() - 1);
                    long start = System.nanoTime();
                    try {
                        conn.read(ByteBuffer.allocateDirect(16));
                        outcome.complete(null);
                    } catch (IOException e) {
                        outcome.complete(e);
                    }
                    took.complete(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                });
                var socket = connect(server)) {
            assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(DeadlineExceededException.class);
            assertThat(took.get(10, TimeUnit.SECONDS)).isLessThan(1_000L);
        }
    }

    @Test
    void closeWakesAParkedReaderWithAClosedError() throws Exception {
        var conns = new CompletableFuture<Conn>();
        var outcome = new CompletableFuture<Throwable>();
        try (var server = new EchoServer(transportName(), conn -> {
                    conns.complete(conn);
                    try {
                        conn.read(ByteBuffer.allocateDirect(16));
                        outcome.complete(null);
                    } catch (IOException e) {
                        outcome.complete(e);
                    }
                });
                var socket = connect(server)) {
            Conn conn = conns.get(10, TimeUnit.SECONDS);
            await().until(() -> server.transport.stats().parked(WaitReason.READ) == 1);
            conn.close();
            assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(ConnClosedException.class);
            assertThat(conn.isOpen()).isFalse();
            // The peer sees the close as end of stream.
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    @Timeout(120)
    void manySmallWritesWithRandomPausesLoseNoWakeup() throws Exception {
        int clients = 64;
        int writesPerClient = 1_500;
        try (var server = new EchoServer(transportName(), EchoServer.echo(512))) {
            ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
            List<Future<long[]>> results = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int seed = c;
                results.add(pool.submit(() -> exchange(server.port(), seed, writesPerClient)));
            }
            for (Future<long[]> result : results) {
                long[] sentAndReceived = result.get(100, TimeUnit.SECONDS);
                assertThat(sentAndReceived[1]).isEqualTo(sentAndReceived[0]);
            }
            pool.shutdown();
        }
    }

    private static long[] exchange(int port, int seed, int writes) throws Exception {
        var random = new Random(seed);
        try (var socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(30_000);
            socket.setTcpNoDelay(true);
            long sent = 0;
            var reader = CompletableFuture.supplyAsync(() -> {
                long received = 0;
                try (InputStream in = socket.getInputStream()) {
                    byte[] chunk = new byte[4096];
                    for (int n; (n = in.read(chunk)) > 0; ) {
                        received += n;
                    }
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
                return received;
            }, Executors.newVirtualThreadPerTaskExecutor());
            OutputStream out = socket.getOutputStream();
            for (int i = 0; i < writes; i++) {
                byte[] bytes = new byte[1 + random.nextInt(200)];
                out.write(bytes);
                sent += bytes.length;
                if (random.nextInt(50) == 0) {
                    Thread.sleep(random.nextInt(3));
                }
            }
            socket.shutdownOutput();
            return new long[] {sent, reader.get(60, TimeUnit.SECONDS)};
        }
    }

    @Test
    @Timeout(180)
    void fiveThousandParkedConnectionsRunOnAHandfulOfOsThreadsAndLeaveNothingBehind() throws Exception {
        int connections = 5_000;
        // Warm up: the carriers and the JVM's one-off service threads (JNA's cleaner, the JDK's
        // virtual-thread unblocker) start on first use and are not per-connection costs.
        try (var warmUp = new EchoServer(transportName(), EchoServer.echo(64))) {
            exchange(warmUp.port(), 1, 10);
        }
        var threads = ManagementFactory.getThreadMXBean();
        int threadsBefore = threads.getThreadCount();
        var namesBefore = threadNames();
        try (var server = new EchoServer(transportName(), EchoServer.echo(64))) {
            int fdsBaseline = openDescriptors();
            long tasksBaseline = server.tasks.live(); // the accept loop
            List<SocketChannel> clients = new ArrayList<>(connections);
            try {
                for (int i = 0; i < connections; i++) {
                    clients.add(SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port())));
                }
                await().atMost(Duration.ofSeconds(60)).until(
                        () -> server.transport.stats().parked(WaitReason.READ) == connections);
                assertThat(server.tasks.live()).isEqualTo(tasksBaseline + connections);
                int threadsAtPeak = threads.getThreadCount();
                // +1: the accept loop's await thread, which keeps the JVM alive while it serves.
                int allowed = pollingThreads(server.transport) + Runtime.getRuntime().availableProcessors() + 1;
                System.out.printf("[%s] %d parked connections: %d OS threads before, %d at peak (allowed +%d)%n",
                        transportName(), connections, threadsBefore, threadsAtPeak, allowed);
                var added = threadNames();
                added.removeAll(namesBefore);
                assertThat(threadsAtPeak - threadsBefore).as("threads added: %s", added).isLessThanOrEqualTo(allowed);

                ByteBuffer one = ByteBuffer.allocate(1);
                for (SocketChannel client : clients) {
                    client.write(one.clear().put(0, (byte) 7));
                }
                for (SocketChannel client : clients) {
                    one.clear();
                    while (one.hasRemaining()) {
                        assertThat(client.read(one)).isNotNegative();
                    }
                    assertThat(one.get(0)).isEqualTo((byte) 7);
                }
            } finally {
                for (SocketChannel client : clients) {
                    client.close();
                }
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> server.tasks.live() == tasksBaseline);
            try {
                // No leak: back to the baseline or below (the JDK may close one of its own meanwhile).
                await().atMost(Duration.ofSeconds(30)).until(() -> openDescriptors() <= fdsBaseline);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                var out = new StringBuilder();
                for (String fd : new File("/proc/self/fd").list()) {
                    try {
                        out.append(fd).append("->").append(java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd", fd))).append(' ');
                    } catch (IOException ignored) { }
                }
                throw new AssertionError("baseline " + fdsBaseline + " now: " + out, e);
            }
            server.listener.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> server.tasks.live() == 0);
        }
    }

    static java.util.Set<String> threadNames() {
        var names = new java.util.TreeSet<String>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            names.add(t.getName());
        }
        return names;
    }

    static int openDescriptors() {
        return Objects.requireNonNull(new File("/proc/self/fd").list()).length;
    }

    @Test
    void listeningOnAPortInUseFailsWithBindException() throws Exception {
        try (var server = new EchoServer(transportName(), EchoServer.echo(64));
                var transport = Transport.open(transportName(), 1)) {
            var address = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port());
            assertThatThrownBy(() -> transport.listen(address, 16))
                    .isInstanceOf(BindException.class)
                    .hasMessageContaining(address.toString())
                    .hasMessageContaining("in use");
        }
    }

    @Test
    void listeningOnAnAddressThisHostDoesNotHaveFailsWithBindException() throws Exception {
        try (var transport = Transport.open(transportName(), 1)) {
            // 192.0.2.0/24 is TEST-NET-1 (RFC 5737): never assigned to a host.
            var address = new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 0);
            assertThatThrownBy(() -> transport.listen(address, 16))
                    .isInstanceOf(BindException.class)
                    .hasMessageContaining("192.0.2.1")
                    .hasMessageContaining("assign");
        }
    }

    @Test
    void listeningOnAnUnresolvedHostIsRejected() throws Exception {
        try (var transport = Transport.open(transportName(), 1)) {
            assertThatThrownBy(() -> transport.listen(InetSocketAddress.createUnresolved("no.such.host.invalid", 80), 16))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("no.such.host.invalid");
        }
    }

    @Test
    void listenerListensOnIpv6Loopback() throws Exception {
        try (var transport = Transport.open(transportName(), 1)) {
            var listener = transport.listen(new InetSocketAddress(InetAddress.getByName("::1"), 0), 16);
            var accepted = new CompletableFuture<InetSocketAddress>();
            Thread.ofVirtual().start(() -> {
                try (Conn conn = listener.accept()) {
                    accepted.complete(conn.remoteAddress());
                } catch (IOException e) {
                    accepted.completeExceptionally(e);
                }
            });
            try (var socket = new Socket(InetAddress.getByName("::1"), listener.localAddress().getPort())) {
                assertThat(accepted.get(10, TimeUnit.SECONDS).getAddress().getHostAddress())
                        .isIn("0:0:0:0:0:0:0:1", "::1");
            } finally {
                listener.close();
            }
        }
    }
}
