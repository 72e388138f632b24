package dev.netpoll.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A server with more than one listener: one handler behind them all, one lifecycle over them. */
class ListenersTest {

    private static InetSocketAddress anyLoopbackPort() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    // The nio transport finishes closing a listening channel when its parked accept wakes up.
    private static void assertRefused(int port) {
        await().atMost(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
                        .as("port %d", port).isInstanceOf(ConnectException.class));
    }

    @ParameterizedTest
    @ValueSource(strings = { "epoll", "nio" })
    void aSecondListenerServesTheSameHandlerAndTheFirstStaysTheMainPort(String transport) throws Exception {
        try (var test = new TestServer(HttpConfig.DEFAULTS, TestServer.echoLine(), transport)) {
            int main = test.server.port();
            int second = test.server.listen(anyLoopbackPort()).getPort();
            assertThat(test.server.port()).isEqualTo(main);
            assertThat(test.server.addresses()).extracting(InetSocketAddress::getPort).containsExactly(main, second);
            for (int port : new int[] { main, second }) {
                try (var client = new RawClient(port)) {
                    assertThat(client.send("GET /on HTTP/1.1\r\nHost: x\r\n\r\n").read().text()).isEqualTo("GET /on body=0");
                }
            }
            assertThat(test.server.connectionsAccepted()).isEqualTo(2);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "epoll", "nio" })
    void gracefulShutdownAndCloseStopAcceptingOnEveryListener(String transport) throws Exception {
        try (var test = new TestServer(HttpConfig.DEFAULTS, TestServer.echoLine(), transport)) {
            int main = test.server.port();
            int second = test.server.listen(anyLoopbackPort()).getPort();
            assertThat(test.server.shutdownGracefully(Duration.ofSeconds(5))).isTrue();
            assertRefused(main);
            assertRefused(second);
            assertThatThrownBy(() -> test.server.listen(anyLoopbackPort())).isInstanceOf(IllegalStateException.class);
        }
    }
}
