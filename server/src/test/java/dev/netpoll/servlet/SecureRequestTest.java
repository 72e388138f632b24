package dev.netpoll.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netpoll.http.HttpConfig;
import dev.netpoll.http.HttpServer;
import dev.netpoll.poll.Transport;
import dev.netpoll.tls.ClientAuth;
import dev.netpoll.tls.TestCertificates;
import dev.netpoll.tls.TlsContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Collections;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A servlet request over TLS says so: secure, scheme https, https request URLs and redirects, and
 * the Servlet spec's TLS attributes with the client's certificate.
 */
class SecureRequestTest {

    @TempDir
    Path dir;

    @Test
    @Timeout(60)
    void requestOverTlsIsSecureWithHttpsUrlsAndTheServletTlsAttributes() throws Exception {
        Path serverStore = TestCertificates.keyStore(dir, "server", "RSA", "localhost");
        Path clientStore = TestCertificates.keyStore(dir, "client", "EC", "client");
        var context = new NetpollServletContext("", getClass().getClassLoader());
        context.addServlet("describe", new HttpServlet() {
            @Override
            protected void service(HttpServletRequest q, HttpServletResponse s) throws IOException {
                if (q.getRequestURI().equals("/redirect")) {
                    s.sendRedirect("/there");
                    return;
                }
                if (q.getRequestURI().equals("/session")) {
                    s.getWriter().print(q.getSession(true).isNew());
                    return;
                }
                var chain = (X509Certificate[]) q.getAttribute("jakarta.servlet.request.X509Certificate");
                s.getWriter().print(q.isSecure() + " " + q.getScheme() + " " + q.getRequestURL()
                        + " " + q.getServletConnection().isSecure()
                        + " peer=" + chain[0].getSubjectX500Principal().getName()
                        + " suite=" + q.getAttribute("jakarta.servlet.request.cipher_suite")
                        + " bits=" + q.getAttribute("jakarta.servlet.request.key_size")
                        + " names=" + Collections.list(q.getAttributeNames()).stream()
                                .filter(n -> n.startsWith("jakarta.servlet.request.")).sorted().toList());
            }
        }).addMapping("/");
        context.start();
        SSLContext sslContext = TestCertificates.serverContext(serverStore, clientStore);
        var server = new HttpServer(HttpConfig.DEFAULTS, new ServletHandler(context), Transport.open("epoll", 1));
        server.setTls(TlsContext.builder(() -> sslContext).clientAuth(ClientAuth.NEED).build());
        server.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        try (server; var client = HttpClient.newBuilder()
                .sslContext(TestCertificates.clientContext(serverStore, clientStore)).build()) {
            String base = "https://localhost:" + server.port();
            String body = client.send(HttpRequest.newBuilder(URI.create(base + "/a?b=c")).build(), BodyHandlers.ofString()).body();
            assertThat(body).startsWith("true https " + base + "/a true peer=CN=client suite=TLS_")
                    .containsPattern("bits=(128|256)")
                    .endsWith("names=[jakarta.servlet.request.X509Certificate, jakarta.servlet.request.cipher_suite,"
                            + " jakarta.servlet.request.key_size, jakarta.servlet.request.ssl_session_id]");
            var redirect = client.send(HttpRequest.newBuilder(URI.create(base + "/redirect")).build(), BodyHandlers.ofString());
            assertThat(redirect.headers().firstValue("Location")).hasValue(base + "/there");
            var noPort = client.send(HttpRequest.newBuilder(URI.create(base + "/p")).header("X-Probe", "1").build(),
                    BodyHandlers.ofString());
            assertThat(noPort.statusCode()).isEqualTo(200);
            // A session begun over HTTPS has a Secure cookie, as on Tomcat, whatever the settings.
            var session = client.send(HttpRequest.newBuilder(URI.create(base + "/session")).build(), BodyHandlers.ofString());
            assertThat(session.headers().firstValue("Set-Cookie")).hasValueSatisfying(
                    cookie -> assertThat(cookie).startsWith("JSESSIONID=").containsIgnoringCase("; Secure"));
        }
    }
}
