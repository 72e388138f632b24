package dev.netpoll.http2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netpoll.http.ClientAbortException;
import dev.netpoll.http.HttpConfig;
import dev.netpoll.servlet.NetpollServletContext;
import dev.netpoll.servlet.ServletHandler;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A client that goes away while a servlet reads its body or writes its answer (an HTTP/2 stream
 * reset, an HTTP/1.1 connection reset) fails that read or write with a ClientAbortException; it
 * is no server error: nothing is logged as a warning or error, no error page is attempted, and
 * the connection (for HTTP/2) goes on serving its other streams.
 */
@Timeout(30)
class ClientAbortTest {

    private H2TestServer server;
    /** What the servlets' reads and writes threw, in order. */
    private final BlockingQueue<Throwable> failures = new LinkedBlockingQueue<>();
    private final List<LogRecord> warnings = new CopyOnWriteArrayList<>();
    private final Logger netpoll = Logger.getLogger("dev.netpoll");
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                warnings.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void start() throws Exception {
        netpoll.addHandler(capture);
        var context = new NetpollServletContext("", ClientAbortTest.class.getClassLoader());
        context.addServlet("read", new HttpServlet() {
            @Override
            protected void service(HttpServletRequest q, HttpServletResponse s) throws IOException {
                try {
                    q.getInputStream().readAllBytes();
                } catch (IOException e) {
                    failures.add(e);
                    throw e;
                }
                s.getWriter().print("read");
            }
        }).addMapping("/read");
        context.addServlet("write", new HttpServlet() {
            @Override
            protected void service(HttpServletRequest q, HttpServletResponse s) throws IOException {
                byte[] chunk = new byte[64 * 1024];
                try {
                    for (int i = 0; i < 1600; i++) { // 100 MB: more than any socket buffer holds
                        s.getOutputStream().write(chunk);
                    }
                } catch (IOException e) {
                    failures.add(e);
                    throw e;
                }
            }
        }).addMapping("/write");
        context.addServlet("ok", new HttpServlet() {
            @Override
            protected void service(HttpServletRequest q, HttpServletResponse s) throws IOException {
                s.getWriter().print("ok");
            }
        }).addMapping("/ok");
        context.start();
        server = new H2TestServer("epoll", HttpConfig.DEFAULTS, Http2Config.DEFAULTS, null, new ServletHandler(context));
    }

    @AfterEach
    void stop() {
        server.close();
        netpoll.removeHandler(capture);
    }

    private void assertQuietlyEnded(Throwable failure) throws InterruptedException {
        assertThat(failure).as("the servlet's read or write failed").isNotNull();
        assertThat(ClientAbortException.causedBy(failure)).as("%s says the client went away", failure).isTrue();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (server.server.requestsInFlight() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        Thread.sleep(100); // whatever the container would log comes right after the servlet returns
        assertThat(warnings).extracting(r -> r.getLoggerName() + ": " + r.getMessage()).isEmpty();
    }

    private static byte[] int32(int value) {
        byte[] b = new byte[4];
        RawH2Client.int32(b, 0, value);
        return b;
    }

    /** The client cancels stream 1: its servlet's failure is quiet, and the connection serves stream 3. */
    private void cancelStreamOneThenServeStreamThree(RawH2Client client) throws Exception {
        client.frame(Frame.RST_STREAM, 0, 1, int32(ErrorCode.CANCEL));
        assertQuietlyEnded(failures.poll(10, TimeUnit.SECONDS));
        client.get(3, "/ok");
        assertThat(new String(client.response(3).body(), StandardCharsets.US_ASCII)).isEqualTo("ok");
    }

    @Test
    void aStreamResetWhileTheServletReadsItsBody() throws Exception {
        try (var client = new RawH2Client(server.port()).handshake()) {
            client.headers(1, false, RawH2Client.request("POST", "/read"));
            client.data(1, false, "abc".getBytes(StandardCharsets.US_ASCII));
            cancelStreamOneThenServeStreamThree(client);
        }
    }

    @Test
    void aStreamResetWhileTheServletWrites() throws Exception {
        try (var client = new RawH2Client(server.port()).handshake()) {
            // Room on the connection for more than stream 1 can take, so stream 3 can still be answered.
            client.frame(Frame.WINDOW_UPDATE, 0, 0, int32(1 << 20));
            client.get(1, "/write");
            // The servlet fills the stream's 64 KiB window and waits for more; then we cancel.
            Thread.sleep(200);
            cancelStreamOneThenServeStreamThree(client);
        }
    }

    @Test
    void anHttp11ConnectionResetWhileTheServletWrites() throws Exception {
        try (var socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.getOutputStream().write("GET /write HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            in.readNBytes(100_000); // the answer has begun
            socket.setSoLinger(true, 0); // close with RST
        }
        assertQuietlyEnded(failures.poll(10, TimeUnit.SECONDS));
    }
}
