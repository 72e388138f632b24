package dev.netpoll.http;

import dev.netpoll.poll.Transport;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The server side of {@link CarrierStarvationTest}, run in a JVM of its own whose virtual-thread
 * scheduler has a single carrier. Prints {@code PORT n} once listening and serves until its
 * standard input closes (the test ends it by closing the pipe or destroying the process).
 *
 * <p>Handlers, by path: {@code /interrupt} leaves its task interrupted; {@code /spin} holds the
 * carrier for two seconds of CPU work; {@code /pinned-body} reads the request body while its task
 * is pinned to the carrier (so a park blocks the carrier itself); {@code /sleep} sleeps 20 ms and
 * says whether it was interrupted; anything else answers "ok".
 */
public final class OneCarrierServer {

    private OneCarrierServer() {
    }

    public static void main(String[] args) throws Exception {
        String transport = args.length > 0 ? args[0] : "epoll";
        long deferSeconds = args.length > 1 ? Long.parseLong(args[1]) : 0;
        var config = HttpConfig.DEFAULTS.toBuilder().deferAccept(java.time.Duration.ofSeconds(deferSeconds)).build();
        var server = new HttpServer(config, OneCarrierServer::handle, Transport.open(transport, 1));
        server.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        System.out.println("PORT " + server.port());
        System.out.flush();
        while (System.in.read() >= 0) {
            // serve until the parent closes the pipe
        }
        server.close();
    }

    private static void handle(HttpRequest request, HttpResponse response) throws IOException {
        String answer = switch (request.path()) {
            case "/interrupt" -> {
                Thread.currentThread().interrupt();
                yield "interrupted";
            }
            case "/sleep" -> sleep();
            case "/spin" -> "spun " + spin(2_000);
            case "/pinned-body" -> "body=" + readPinned(request);
            default -> "ok";
        };
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        response.header("Content-Type", "text/plain").contentLength(bytes.length);
        response.body().write(bytes);
    }

    /** A short sleep, which fails at once if the task came in interrupted. */
    private static String sleep() {
        try {
            Thread.sleep(20);
            return "slept";
        } catch (InterruptedException e) {
            return "interrupted in sleep";
        }
    }

    /** Busy work that never parks: keeps the only carrier for {@code millis}. */
    private static long spin(long millis) {
        long end = System.nanoTime() + millis * 1_000_000L;
        long n = 0;
        while (System.nanoTime() - end < 0) {
            n++;
        }
        return n > 0 ? millis : 0;
    }

    /**
     * Reads the whole body inside a pinned section (as under a native frame): a park there blocks
     * the carrier thread, so no other task, the poll task included, can run until it is unparked.
     */
    private static int readPinned(HttpRequest request) throws IOException {
        try {
            Class<?> continuation = Class.forName("jdk.internal.vm.Continuation");
            Method pin = continuation.getMethod("pin");
            Method unpin = continuation.getMethod("unpin");
            pin.invoke(null);
            try {
                return request.body().readAllBytes().length;
            } finally {
                unpin.invoke(null);
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("run with --add-exports java.base/jdk.internal.vm=ALL-UNNAMED", e);
        }
    }
}
