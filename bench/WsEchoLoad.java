import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * The WebSocket benchmark's client, run as a source file (java bench/WsEchoLoad.java ...):
 *
 * <pre>
 *   echo PORT CONNS SECONDS      each of CONNS sessions sends a 32-byte text message and waits for its
 *                                echo, again and again; prints "roundtrips/s N" at the end
 *   idle PORT COUNT READY_FILE   opens COUNT sessions, touches READY_FILE, holds them (pinging
 *                                each every 10 s) until killed
 * </pre>
 *
 * One virtual thread per session with blocking sockets: the client costs little per session, so
 * the server stays the bottleneck when pinned to its own core.
 */
public final class WsEchoLoad {

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[1]);
        switch (args[0]) {
            case "echo" -> echo(port, Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            case "idle" -> idle(port, Integer.parseInt(args[2]), Path.of(args[3]));
            default -> throw new IllegalArgumentException("echo or idle, not " + args[0]);
        }
    }

    static void echo(int port, int conns, int seconds) throws Exception {
        var roundTrips = new LongAdder();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < conns; i++) {
            Socket socket = open(port);
            threads.add(Thread.ofVirtual().start(() -> {
                try (socket) {
                    byte[] frame = maskedText("0123456789abcdef0123456789abcdef");
                    OutputStream out = socket.getOutputStream();
                    var in = new DataInputStream(socket.getInputStream());
                    byte[] echo = new byte[34];
                    while (System.nanoTime() - end < 0) {
                        out.write(frame);
                        in.readFully(echo); // 0x81, 32, payload
                        roundTrips.increment();
                    }
                } catch (IOException e) {
                    System.err.println("session failed: " + e);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        System.out.printf("roundtrips/s %.0f%n", roundTrips.sum() / (double) seconds);
    }

    /**
     * Opens COUNT sessions (32 handshakes at a time), touches READY_FILE, then holds them until
     * killed, pinging each every 10 s: servers close sessions idle past their own timeout (Jetty's
     * is 30 s) and a session closed before the measurement would make its server look smaller.
     * A session the server closes anyway is reported on stderr.
     */
    static void idle(int port, int count, Path ready) throws Exception {
        List<Socket> sockets = java.util.Collections.synchronizedList(new ArrayList<>(count));
        var gate = new java.util.concurrent.Semaphore(32);
        var closed = new java.util.concurrent.atomic.AtomicInteger();
        List<Thread> openers = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            gate.acquire();
            openers.add(Thread.ofVirtual().start(() -> {
                try {
                    Socket socket = open(port);
                    sockets.add(socket);
                    Thread.ofVirtual().start(() -> {
                        // Pongs are read and dropped; the end of the stream is the server closing.
                        try (var in = socket.getInputStream()) {
                            byte[] sink = new byte[256];
                            while (in.read(sink) >= 0) {
                                // discard
                            }
                        } catch (IOException e) {
                            // reset or closed by us
                        }
                        System.err.println("session closed by the server (" + closed.incrementAndGet() + " so far)");
                    });
                } catch (IOException e) {
                    System.err.println("session failed to open: " + e);
                } finally {
                    gate.release();
                }
            }));
        }
        for (Thread t : openers) {
            t.join();
        }
        Files.createFile(ready);
        byte[] ping = {(byte) 0x89, (byte) 0x80, 1, 2, 3, 4}; // masked ping, no payload
        for (;;) {
            Thread.sleep(10_000);
            for (Socket socket : sockets.toArray(Socket[]::new)) {
                try {
                    socket.getOutputStream().write(ping);
                } catch (IOException e) {
                    // closed: reported by its reader
                }
            }
        }
    }

    static Socket open(int port) throws IOException {
        var socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setTcpNoDelay(true);
        String key = Base64.getEncoder().encodeToString(new byte[16]);
        socket.getOutputStream().write(("GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        var head = new StringBuilder();
        var in = socket.getInputStream();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed during the handshake: " + head);
            }
            head.append((char) b);
        }
        if (!head.toString().startsWith("HTTP/1.1 101")) {
            throw new IOException("handshake refused: " + head.toString().lines().findFirst().orElse(""));
        }
        return socket;
    }

    static byte[] maskedText(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        byte[] frame = new byte[6 + payload.length];
        frame[0] = (byte) 0x81;
        frame[1] = (byte) (0x80 | payload.length);
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        System.arraycopy(mask, 0, frame, 2, 4);
        for (int i = 0; i < payload.length; i++) {
            frame[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
        }
        return frame;
    }
}
