package dev.netpoll.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.servlet.http.WebConnection;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code HttpServletRequest.upgrade} as Servlet 6.1 section 2.3.3.5 defines it, over a real
 * socket: the 101 is written when the servlet returns, then {@code init} gets the
 * {@link WebConnection}; a {@code ReadListener} is called as data comes, bytes sent right behind the
 * request are not lost, and {@code destroy} follows the end of the connection.
 */
class UpgradeTest {

    static ServletServer server;
    static volatile CountDownLatch destroyed;

    @BeforeAll
    static void start() throws Exception {
        var context = new NetpollServletContext("", UpgradeTest.class.getClassLoader());
        context.addServlet("upgrade", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                response.setHeader("Upgrade", "shout");
                try {
                    if ("blocking".equals(request.getParameter("mode"))) {
                        request.upgrade(BlockingShout.class);
                    } else {
                        request.upgrade(Shout.class);
                    }
                } catch (jakarta.servlet.ServletException e) {
                    throw new IOException(e);
                }
            }
        }).addMapping("/shout");
        server = ServletServer.serve(context);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Greets, then answers each byte upper-cased, reading through a ReadListener on the connection's task. */
    public static final class Shout implements HttpUpgradeHandler {

        @Override
        public void init(WebConnection connection) {
            try {
                ServletInputStream in = connection.getInputStream();
                ServletOutputStream out = connection.getOutputStream();
                out.write("ready\n".getBytes(StandardCharsets.US_ASCII));
                in.setReadListener(new ReadListener() {
                    @Override
                    public void onDataAvailable() throws IOException {
                        byte[] buffer = new byte[64];
                        while (in.isReady() && !in.isFinished()) {
                            int n = in.read(buffer);
                            if (n > 0) {
                                out.write(new String(buffer, 0, n, StandardCharsets.US_ASCII).toUpperCase()
                                        .getBytes(StandardCharsets.US_ASCII));
                            }
                        }
                    }

                    @Override
                    public void onAllDataRead() throws IOException {
                        connection.getOutputStream().write("bye\n".getBytes(StandardCharsets.US_ASCII));
                    }

                    @Override
                    public void onError(Throwable t) {
                    }
                });
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public void destroy() {
            destroyed.countDown();
        }
    }

    /** The same with blocking reads on a thread of the handler's own, closing the connection at the end. */
    public static final class BlockingShout implements HttpUpgradeHandler {

        @Override
        public void init(WebConnection connection) {
            Thread.ofVirtual().start(() -> {
                try (connection) {
                    InputStream in = connection.getInputStream();
                    var out = connection.getOutputStream();
                    out.write("ready\n".getBytes(StandardCharsets.US_ASCII));
                    for (int b; (b = in.read()) >= 0; ) {
                        out.write(Character.toUpperCase(b));
                    }
                    out.write("bye\n".getBytes(StandardCharsets.US_ASCII));
                } catch (Exception e) {
                    // the client went away
                }
            });
        }

        @Override
        public void destroy() {
            destroyed.countDown();
        }
    }

    static String converse(String query) throws Exception {
        destroyed = new CountDownLatch(1);
        try (var socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /shout" + query + " HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\n"
                    + "Upgrade: shout\r\n\r\nearly ").getBytes(StandardCharsets.US_ASCII));
            var received = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            while (!received.toString(StandardCharsets.US_ASCII).contains("EARLY ")) {
                received.write(in.read());
            }
            socket.getOutputStream().write("late".getBytes(StandardCharsets.US_ASCII));
            while (!received.toString(StandardCharsets.US_ASCII).endsWith("LATE")) {
                received.write(in.read());
            }
            socket.shutdownOutput();
            received.write(in.readAllBytes());
            assertThat(destroyed.await(10, TimeUnit.SECONDS)).as("destroy called").isTrue();
            return received.toString(StandardCharsets.US_ASCII);
        }
    }

    @Test
    void readListenerProtocolAfter101() throws Exception {
        String conversation = converse("");
        assertThat(conversation).startsWith("HTTP/1.1 101 Switching Protocols\r\n").contains("\r\nUpgrade: shout\r\n",
                "\r\nConnection: Upgrade\r\n").doesNotContain("Content-Length", "Transfer-Encoding");
        assertThat(conversation.substring(conversation.indexOf("\r\n\r\n") + 4)).isEqualTo("ready\nEARLY LATEbye\n");
    }

    @Test
    void blockingProtocolOnTheHandlersOwnThread() throws Exception {
        String conversation = converse("?mode=blocking");
        assertThat(conversation).startsWith("HTTP/1.1 101 ");
        assertThat(conversation.substring(conversation.indexOf("\r\n\r\n") + 4)).isEqualTo("ready\nEARLY LATEbye\n");
    }
}
