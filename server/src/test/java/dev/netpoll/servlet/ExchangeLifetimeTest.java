package dev.netpoll.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netpoll.http.RawClient;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ReadListener;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Request, response and stream objects die with their exchange: once an async request is
 * completed or has timed out, whatever an application thread still does with them fails fast
 * and nothing reaches the next exchange on the same connection. Read and write listeners start
 * only after {@code service()} has returned.
 */
class ExchangeLifetimeTest {

    @BeforeAll
    static void start() throws Exception {
        startOn("epoll");
    }

    private static final SynchronousQueue<AsyncContext> handedOver = new SynchronousQueue<>();
    private static final AtomicReference<Boolean> listenerSawServiceRunning = new AtomicReference<>();
    private static volatile boolean inService;
    private static ServletServer server;

    /** A servlet whose body is a lambda that may throw. */
    private interface Body {
        void serve(HttpServletRequest request, HttpServletResponse response) throws Exception;
    }

    private static HttpServlet servlet(Body body) {
        return new HttpServlet() {
            @Override
            protected void service(HttpServletRequest request, HttpServletResponse response) {
                try {
                    body.serve(request, response);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            }
        };
    }

    static void startOn(String transport) throws Exception {
        var context = new NetpollServletContext("", ExchangeLifetimeTest.class.getClassLoader());
        context.addServlet("async", servlet((q, s) -> {
            var async = q.startAsync();
            async.setTimeout(q.getParameter("timeout") == null ? 0 : Long.parseLong(q.getParameter("timeout")));
            handedOver.put(async);
        })).setAsyncSupported(true);
        context.getServletRegistration("async").addMapping("/async");
        context.addServlet("plain", servlet((q, s) -> {
            s.setContentType("text/plain");
            s.getWriter().print("plain");
        })).addMapping("/plain");
        context.addServlet("reader", servlet((q, s) -> {
            var async = q.startAsync();
            var in = q.getInputStream();
            inService = true;
            in.setReadListener(new ReadListener() {
                @Override
                public void onDataAvailable() throws IOException {
                    listenerSawServiceRunning.compareAndSet(null, inService);
                    in.readAllBytes();
                }

                @Override
                public void onAllDataRead() throws IOException {
                    s.getWriter().print("read");
                    async.complete();
                }

                @Override
                public void onError(Throwable t) {
                    async.complete();
                }
            });
            Thread.sleep(300);
            inService = false;
        })).setAsyncSupported(true);
        context.getServletRegistration("reader").addMapping("/reader");
        context.addServlet("writer", servlet((q, s) -> {
            var async = q.startAsync();
            var out = s.getOutputStream();
            inService = true;
            out.setWriteListener(new WriteListener() {
                @Override
                public void onWritePossible() throws IOException {
                    listenerSawServiceRunning.compareAndSet(null, inService);
                    out.print("written");
                    async.complete();
                }

                @Override
                public void onError(Throwable t) {
                    async.complete();
                }
            });
            Thread.sleep(300);
            inService = false;
        })).setAsyncSupported(true);
        context.getServletRegistration("writer").addMapping("/writer");
        server = ServletServer.serve(context, transport);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    @Timeout(20)
    void writesAfterCompleteFailFastAndNeverReachTheNextResponse() throws Exception {
        try (var client = new RawClient(server.port())) {
            client.send("GET /async HTTP/1.1\r\nHost: a\r\n\r\n");
            AsyncContext async = handedOver.poll(5, TimeUnit.SECONDS);
            var response = (HttpServletResponse) async.getResponse();
            var out = response.getOutputStream();
            out.write("first".getBytes(StandardCharsets.US_ASCII));
            async.complete();
            assertThat(client.read().text()).isEqualTo("first");

            assertThatThrownBy(() -> out.write("late".getBytes(StandardCharsets.US_ASCII)))
                    .isInstanceOf(IllegalStateException.class);
            response.setHeader("X-Late", "1"); // ignored on a committed response (Servlet 6.1 5.2)
            assertThatThrownBy(async::getResponse).isInstanceOf(IllegalStateException.class);

            var next = client.send("GET /plain HTTP/1.1\r\nHost: a\r\n\r\n").read();
            assertThat(next.text()).isEqualTo("plain");
            assertThat(next.header("X-Late")).isNull();
        }
    }

    @Test
    @Timeout(20)
    void writesAfterAnAsyncTimeoutFailFastAndNeverReachTheNextResponse() throws Exception {
        try (var client = new RawClient(server.port())) {
            client.send("GET /async?timeout=200 HTTP/1.1\r\nHost: a\r\n\r\n");
            AsyncContext async = handedOver.poll(5, TimeUnit.SECONDS);
            var response = (HttpServletResponse) async.getResponse();
            var writer = response.getWriter();
            assertThat(client.read().status()).isEqualTo(500);

            // A second request is in flight on the same connection while the late write happens.
            client.send("GET /async HTTP/1.1\r\nHost: a\r\n\r\n");
            AsyncContext second = handedOver.poll(5, TimeUnit.SECONDS);
            assertThatThrownBy(() -> {
                writer.print("late");
                writer.flush();
                if (writer.checkError()) {
                    throw new IllegalStateException("writer reported the failure");
                }
            }).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> response.getOutputStream().write(1)).isInstanceOf(IllegalStateException.class);
            second.getResponse().getWriter().print("second");
            second.complete();
            assertThat(client.read().text()).isEqualTo("second");
        }
    }

    @Test
    @Timeout(20)
    void readListenerStartsOnlyAfterServiceReturns() throws Exception {
        listenerSawServiceRunning.set(null);
        try (var client = new RawClient(server.port())) {
            var response = client.send("POST /reader HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello").read();
            assertThat(response.text()).isEqualTo("read");
            assertThat(listenerSawServiceRunning.get()).isFalse();
        }
    }

    @Test
    @Timeout(20)
    void writeListenerStartsOnlyAfterServiceReturns() throws Exception {
        listenerSawServiceRunning.set(null);
        try (var client = new RawClient(server.port())) {
            var response = client.send("GET /writer HTTP/1.1\r\nHost: a\r\n\r\n").read();
            assertThat(response.text()).isEqualTo("written");
            assertThat(listenerSawServiceRunning.get()).isFalse();
        }
    }
}
