package dev.netpoll.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Forwarded headers from trusted proxies only (the test client is 127.0.0.1). */
class ForwardedHeadersTest {

    private ServletServer server;

    private void start(Pattern trusted) throws Exception {
        var context = new NetpollServletContext("/app", ForwardedHeadersTest.class.getClassLoader());
        context.setForwardedHeaders(trusted);
        context.addServlet("view", new ServletContainerTest.Lambda((q, s) -> {
            try {
                s.getWriter().print(q.getRemoteAddr() + " " + q.getScheme() + " " + q.getServerName() + " " + q.getServerPort()
                        + " secure=" + q.isSecure() + " " + q.getRequestURL());
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        })).addMapping("/view");
        server = ServletServer.serve(context);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String view(String... headers) throws Exception {
        var request = server.request("/app/view");
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return server.send(request).body();
    }

    @Test
    void xForwardedHeadersFromATrustedProxyAreApplied() throws Exception {
        start(NetpollServletContext.defaultTrustedProxies());
        assertThat(view("X-Forwarded-For", "203.0.113.7, 10.0.0.2", "X-Forwarded-Proto", "https", "X-Forwarded-Host", "example.com"))
                .isEqualTo("203.0.113.7 https example.com 443 secure=true https://example.com/app/view");
        // A client may forge the leftmost entries: the rightmost untrusted address wins.
        assertThat(view("X-Forwarded-For", "1.2.3.4, 198.51.100.9, 192.168.1.1")).startsWith("198.51.100.9 http ");
        assertThat(view("X-Forwarded-Proto", "http", "X-Forwarded-Host", "example.com", "X-Forwarded-Port", "8080"))
                .isEqualTo("127.0.0.1 http example.com 8080 secure=false http://example.com:8080/app/view");
    }

    @Test
    void rfc7239ForwardedIsApplied() throws Exception {
        start(NetpollServletContext.defaultTrustedProxies());
        assertThat(view("Forwarded", "for=\"[2001:db8::1]:4711\";proto=https;host=api.example.org:8443"))
                .isEqualTo("2001:db8::1 https api.example.org 8443 secure=true https://api.example.org:8443/app/view");
    }

    @Test
    void aClientsOwnForwardedHeaderPassedThroughDoesNotOverrideTheProxysXForwardedFields() throws Exception {
        // nginx sets X-Forwarded-For/-Proto and passes the client's headers on, Forwarded included.
        start(NetpollServletContext.defaultTrustedProxies());
        assertThat(view("Forwarded", "for=1.2.3.4;proto=https", "X-Forwarded-For", "198.51.100.9", "X-Forwarded-Proto", "http"))
                .startsWith("198.51.100.9 http ").contains("secure=false");
    }

    @Test
    void headersFromAnUntrustedPeerOrWithTheFeatureOffAreIgnored() throws Exception {
        start(Pattern.compile("10\\..*"));
        String ignored = view("X-Forwarded-For", "203.0.113.7", "X-Forwarded-Proto", "https");
        assertThat(ignored).startsWith("127.0.0.1 http 127.0.0.1 ").contains("secure=false");
        server.close();
        start(null);
        assertThat(view("X-Forwarded-For", "203.0.113.7")).startsWith("127.0.0.1 http ");
    }
}
