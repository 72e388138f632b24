package dev.netpoll.http;

import dev.netpoll.poll.Transport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An HttpServer on a loopback port that records every request line its handler saw. */
final class TestServer implements AutoCloseable {

    final HttpServer server;
    final List<String> seen = new CopyOnWriteArrayList<>();

    TestServer(HttpConfig config, HttpHandler handler) throws Exception {
        this(config, handler, "epoll");
    }

    TestServer(HttpConfig config, HttpHandler handler, String transport) throws Exception {
        server = new HttpServer(config, (request, response) -> {
            seen.add(request.method() + " " + request.target());
            handler.handle(request, response);
        }, Transport.open(transport, 1));
        server.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    /** Answers {@code method target} as text, after reading the whole body. */
    static HttpHandler echoLine() {
        return (request, response) -> {
            byte[] body = request.body().readAllBytes();
            String text = request.method() + " " + request.target() + " body=" + body.length;
            response.header("Content-Type", "text/plain");
            response.body().write(text.getBytes(StandardCharsets.UTF_8));
        };
    }

    RawClient client() throws Exception {
        return new RawClient(server.port());
    }

    @Override
    public void close() {
        server.close();
    }
}
