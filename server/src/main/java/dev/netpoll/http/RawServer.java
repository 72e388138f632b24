package dev.netpoll.http;

import dev.netpoll.poll.Transport;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The raw HTTP server for benchmarks and demos, the same service as the reference Go program:
 * {@code GET /} answers {@code Request #N}, {@code POST /echo} echoes the body. Port from the
 * first argument or {@code PORT} (default 8080); transport from {@code -Dnetpoll.transport};
 * {@code -Dnetpoll.deferAcceptSeconds=N} defers accepting ({@link HttpConfig#deferAccept}).
 */
public final class RawServer {

    private RawServer() {
    }

    public static HttpHandler handler() {
        return handler(null);
    }

    /** The demo handler; {@code GET /stats} reports {@code server}'s runtime when given. */
    public static HttpHandler handler(java.util.function.Supplier<HttpServer> server) {
        var counter = new AtomicLong();
        return (request, response) -> {
            String path = request.path();
            if (path.equals("/") && (request.method().equals("GET") || request.method().equals("HEAD"))) {
                byte[] body = ("Request #" + counter.incrementAndGet() + "\n").getBytes(StandardCharsets.US_ASCII);
                response.header("Content-Type", "text/plain; charset=utf-8");
                response.contentLength(body.length);
                response.body().write(body);
            } else if (path.equals("/stats") && server != null) {
                var stats = server.get().stats();
                byte[] body = ("goroutines=" + stats.goroutines() + " threads=" + stats.osThreads()
                        + " parked=" + stats.parked() + " transport=" + stats.transport() + "\n")
                        .getBytes(StandardCharsets.US_ASCII);
                response.header("Content-Type", "text/plain; charset=utf-8");
                response.body().write(body);
            } else if (path.equals("/echo") && request.method().equals("POST")) {
                String type = request.header("Content-Type");
                response.header("Content-Type", type == null ? "application/octet-stream" : type);
                if (request.contentLength() > 0) {
                    response.contentLength(request.contentLength());
                }
                InputStream in = request.body();
                OutputStream out = response.body();
                in.transferTo(out);
            } else {
                response.status(404);
                response.header("Content-Type", "text/plain; charset=utf-8");
                response.body().write("404 page not found\n".getBytes(StandardCharsets.US_ASCII));
            }
        };
    }

    public static void main(String[] args) throws Exception {
        String portText = args.length > 0 ? args[0] : System.getenv().getOrDefault("PORT", "8080");
        int port = Integer.parseInt(portText);
        int pollers = Integer.getInteger("netpoll.pollers", 1);
        var holder = new java.util.concurrent.atomic.AtomicReference<HttpServer>();
        var config = HttpConfig.DEFAULTS.toBuilder()
                .deferAccept(java.time.Duration.ofSeconds(Integer.getInteger("netpoll.deferAcceptSeconds", 0)))
                .build();
        var server = new HttpServer(config, handler(holder::get), Transport.open(null, pollers));
        holder.set(server);
        server.start(new InetSocketAddress(port));
        System.out.println("Netpoll raw server listening on port " + server.port()
                + " using the " + server.transport().name() + " transport");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdownGracefully(java.time.Duration.ofSeconds(5));
            server.close();
        }));
        Thread.currentThread().join();
    }
}
