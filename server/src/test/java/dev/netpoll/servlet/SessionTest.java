package dev.netpoll.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionIdListener;
import jakarta.servlet.http.HttpSessionListener;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTP sessions: cookie, reuse, id rotation, invalidation, expiry, listeners, persistence. */
class SessionTest {

    private final List<String> events = new CopyOnWriteArrayList<>();
    private ServletServer server;

    @TempDir
    Path store;

    private void start(boolean persistent) throws Exception {
        var context = new NetpollServletContext("/app", SessionTest.class.getClassLoader());
        if (persistent) {
            context.setSessionStoreDirectory(store);
        }
        context.setSessionExpiryInterval(Duration.ofMillis(100));
        context.getSessionCookieConfig().setAttribute("SameSite", "Lax");
        context.addListener(new Listener());
        context.addServlet("session", new ServletContainerTest.Lambda((q, s) -> {
            var session = q.getSession();
            switch (q.getPathInfo() == null ? "" : q.getPathInfo()) {
                case "/rotate" -> q.changeSessionId();
                case "/invalidate" -> {
                    session.invalidate();
                    write(s, "invalidated");
                    return;
                }
                case "/short" -> session.setMaxInactiveInterval(1);
                default -> { }
            }
            Integer count = (Integer) session.getAttribute("count");
            session.setAttribute("count", count == null ? 1 : count + 1);
            write(s, "count=" + session.getAttribute("count") + " new=" + session.isNew());
        })).addMapping("/session/*");
        server = ServletServer.serve(context);
    }

    private void stop() {
        server.close();
    }

    @AfterEach
    void close() {
        if (server != null) {
            stop();
        }
    }

    private final class Listener implements HttpSessionListener, HttpSessionIdListener {
        @Override
        public void sessionCreated(HttpSessionEvent se) {
            events.add("created");
        }

        @Override
        public void sessionDestroyed(HttpSessionEvent se) {
            events.add("destroyed");
        }

        @Override
        public void sessionIdChanged(HttpSessionEvent event, String oldSessionId) {
            events.add("id changed");
        }
    }

    private static void write(jakarta.servlet.http.HttpServletResponse response, String text) {
        try {
            response.getWriter().print(text);
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    private HttpResponse<String> get(String path, String sessionId) throws Exception {
        var request = server.request("/app/session" + path);
        if (sessionId != null) {
            request.header("Cookie", "JSESSIONID=" + sessionId);
        }
        return server.send(request);
    }

    private static String sessionId(HttpResponse<String> response) {
        String cookie = response.headers().firstValue("Set-Cookie").orElseThrow();
        return cookie.substring("JSESSIONID=".length(), cookie.indexOf(';'));
    }

    @Test
    void sessionCookieIsSetOnceAndTheSessionIsReused() throws Exception {
        start(false);
        var first = get("", null);
        assertThat(first.body()).isEqualTo("count=1 new=true");
        String cookie = first.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith("JSESSIONID=").contains("Path=/app").contains("HttpOnly").contains("SameSite=Lax");
        String id = sessionId(first);
        assertThat(id).matches("[0-9A-F]{32}");
        var second = get("", id);
        assertThat(second.body()).isEqualTo("count=2 new=false");
        assertThat(second.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(get("", "unknown").body()).isEqualTo("count=1 new=true");
        assertThat(events).containsExactly("created", "created");
    }

    @Test
    void changeSessionIdKeepsTheStateUnderANewIdAndRetiresTheOld() throws Exception {
        start(false);
        String id = sessionId(get("", null));
        var rotated = get("/rotate", id);
        String newId = sessionId(rotated);
        assertThat(newId).isNotEqualTo(id);
        assertThat(rotated.body()).isEqualTo("count=2 new=false");
        assertThat(get("", newId).body()).isEqualTo("count=3 new=false");
        assertThat(get("", id).body()).isEqualTo("count=1 new=true");
        assertThat(events).contains("id changed");
    }

    @Test
    void invalidatedAndExpiredSessionsAreGone() throws Exception {
        start(false);
        String id = sessionId(get("", null));
        assertThat(get("/invalidate", id).body()).isEqualTo("invalidated");
        assertThat(get("", id).body()).isEqualTo("count=1 new=true");

        String shortLived = sessionId(get("/short", null));
        events.clear();
        // Expired by the background task, without any request: the listener hears it.
        await().atMost(Duration.ofSeconds(5)).until(() -> events.contains("destroyed"));
        assertThat(get("", shortLived).body()).isEqualTo("count=1 new=true");
    }

    @Test
    void persistentSessionsSurviveARestart() throws Exception {
        start(true);
        String id = sessionId(get("", null));
        assertThat(get("", id).body()).isEqualTo("count=2 new=false");
        stop();
        start(true);
        assertThat(get("", id).body()).isEqualTo("count=3 new=false");
    }
}
