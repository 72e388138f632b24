package dev.netpoll.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.netpoll.tls.ExternalTool;
import dev.netpoll.tls.TestCertificates;
import dev.netpoll.tls.TlsContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's python3-websockets, an implementation independent of Tyrus and of Spring, talks to the
 * server over ws and wss on both transports: text, binary, a fragmented message, ping/pong and the
 * closing handshake. A developer without the module sees the tests skipped; {@code .ci/run}
 * installs it and sets {@code NETPOLL_REQUIRE_WEBSOCKET_TOOLS=true}, which makes that a failure.
 */
class PythonClientTest {

    @TempDir
    static Path dir;

    static String python() throws Exception {
        // Debian's interpreter, where its package installs the module (a pyenv python3 may shadow it).
        String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        ExternalTool.Run probe;
        try {
            probe = ExternalTool.run(List.of(python, "-c", "import websockets"), "");
        } catch (java.io.IOException e) {
            probe = new ExternalTool.Run(127, e.getMessage());
        }
        if (probe.exitCode() != 0) {
            String variable = "NETPOLL_REQUIRE_WEBSOCKET_TOOLS";
            if (Boolean.parseBoolean(System.getenv(variable))) {
                fail("python3-websockets is required (" + variable + "=true) but " + python + " cannot import it: "
                        + probe.output());
            }
            assumeTrue(false, "python3-websockets is not installed; set " + variable + "=true to make this a failure");
        }
        return python;
    }

    static String run(String python, String uri, Path cafile) throws Exception {
        return run(python, "client.py", uri, cafile);
    }

    static String run(String python, String name, String uri, Path cafile) throws Exception {
        Path script = dir.resolve(name);
        Files.write(script, Objects.requireNonNull(PythonClientTest.class.getResourceAsStream(name)).readAllBytes());
        List<String> command = cafile == null ? List.of(python, script.toString(), uri)
                : List.of(python, script.toString(), uri, cafile.toString());
        ExternalTool.Run run = ExternalTool.run(command, "");
        assertThat(run.exitCode()).as(run.output()).isZero();
        return run.output();
    }

    void talks(String transport) throws Exception {
        String python = python();
        try (var server = WebSocketServer.start(transport, WebSocketSettings.DEFAULTS)) {
            assertThat(run(python, "ws://127.0.0.1:" + server.port() + "/echo", null))
                    .contains("text echoed", "binary echoed", "fragmented message echoed", "ping answered",
                            "closed with 1000", "ALL OK");
        }
    }

    void talksOverTls(String transport) throws Exception {
        String python = python();
        Path store = TestCertificates.keyStore(dir, "ws", "EC", "localhost");
        Path pem = TestCertificates.exportPem(store, "ws", dir.resolve("ws.pem"));
        SSLContext ssl = TestCertificates.serverContext(store, null);
        try (var server = WebSocketServer.start(transport, WebSocketSettings.DEFAULTS, TlsContext.builder(() -> ssl).build())) {
            assertThat(run(python, "wss://localhost:" + server.port() + "/echo", pem)).contains("ping answered", "ALL OK");
        }
    }

    @Test
    void permessageDeflateIsNegotiatedWithoutContextTakeover() throws Exception {
        String python = python();
        try (var server = WebSocketServer.start("epoll", WebSocketSettings.DEFAULTS)) {
            assertThat(run(python, "deflate.py", "ws://127.0.0.1:" + server.port() + "/echo", null))
                    .contains("negotiated: permessage-deflate; server_no_context_takeover; client_no_context_takeover",
                            "ALL OK");
        }
    }

    @Test
    void pythonClientOverEpoll() throws Exception {
        talks("epoll");
    }

    @Test
    void pythonClientOverNio() throws Exception {
        talks("nio");
    }

    @Test
    void pythonClientOverTlsOnEpoll() throws Exception {
        talksOverTls("epoll");
    }

    @Test
    void pythonClientOverTlsOnNio() throws Exception {
        talksOverTls("nio");
    }
}
