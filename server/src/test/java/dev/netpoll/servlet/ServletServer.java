package dev.netpoll.servlet;

import dev.netpoll.http.HttpConfig;
import dev.netpoll.http.HttpServer;
import dev.netpoll.poll.Transport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodyHandlers;

/**
 * A started servlet context served by an HttpServer on a loopback port, with an HttpClient to
 * call it; {@link #close()} stops all three. The test thread owns it; the server's tasks only
 * read the context.
 */
final class ServletServer implements AutoCloseable {

    final NetpollServletContext context;
    private final HttpServer server;
    private final HttpClient client = HttpClient.newHttpClient();

    private ServletServer(NetpollServletContext context, HttpServer server) {
        this.context = context;
        this.server = server;
    }

    /** Starts {@code context}, registrations made, and serves it on an ephemeral loopback port. */
    static ServletServer serve(NetpollServletContext context) throws Exception {
        return serve(context, "epoll");
    }

    /** Starts {@code context} and serves it on a loopback port over {@code transport}. */
    static ServletServer serve(NetpollServletContext context, String transport) throws Exception {
        context.start();
        var server = new HttpServer(HttpConfig.DEFAULTS, new ServletHandler(context), Transport.open(transport, 1));
        server.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return new ServletServer(context, server);
    }

    int port() {
        return server.port();
    }

    int buffersLent() {
        return server.buffersLent();
    }

    /** A request to {@code path}, the context path included, on this server. */
    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path));
    }

    <T> HttpResponse<T> send(HttpRequest.Builder request, BodyHandler<T> body) throws IOException, InterruptedException {
        return client.send(request.build(), body);
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return send(request, BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(request(path));
    }

    @Override
    public void close() {
        client.close();
        server.close();
        context.stop();
    }
}
