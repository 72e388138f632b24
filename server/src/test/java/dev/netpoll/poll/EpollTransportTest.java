package dev.netpoll.poll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netpoll.sys.LibC;
import dev.netpoll.sys.NativeBuffer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EpollTransportTest extends TransportContract {

    @Override
    String transportName() {
        return "epoll";
    }

    @Test
    void autoChoosesEpollOnLinux() throws Exception {
        assertThat(LibC.AVAILABLE).as("libc binds on this Linux host").isTrue();
        try (var transport = Transport.open("auto", 1)) {
            assertThat(transport.name()).isEqualTo("epoll");
        }
    }

    @Test
    void unknownTransportNameIsRejectedWithTheChoices() {
        assertThatThrownBy(() -> Transport.open("kqueue", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kqueue")
                .hasMessageContaining("epoll, nio or auto");
    }

    /**
     * With a deferral the kernel keeps a connection whose client has said nothing (here well
     * within the 30 s asked), and hands it over with its first bytes, which the first read finds.
     */
    @Test
    void aDeferringListenerHandsOverAConnectionWithItsFirstBytes() throws Exception {
        try (var transport = Transport.open("epoll", 1);
                var listener = transport.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16,
                        Duration.ofSeconds(30));
                var client = new Socket(InetAddress.getLoopbackAddress(), listener.localAddress().getPort())) {
            var accepted = new CompletableFuture<Conn>();
            Thread.ofVirtual().start(() -> {
                try {
                    accepted.complete(listener.accept());
                } catch (IOException e) {
                    accepted.completeExceptionally(e);
                }
            });
            Thread.sleep(500);
            assertThat(accepted).as("accepted before the client sent anything").isNotDone();
            client.getOutputStream().write("GET".getBytes(StandardCharsets.US_ASCII));
            try (Conn conn = accepted.get(10, TimeUnit.SECONDS)) {
                assertThat(conn.readNow(new NativeBuffer(16))).as("bytes there at once").isEqualTo(3);
            }
        }
    }

    /** Without a deferral a silent client's connection is handed over at the handshake. */
    @Test
    void aListenerWithoutDeferralHandsOverASilentConnection() throws Exception {
        try (var transport = Transport.open("epoll", 1);
                var listener = transport.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16,
                        Duration.ZERO);
                var client = new Socket(InetAddress.getLoopbackAddress(), listener.localAddress().getPort());
                Conn conn = listener.accept()) {
            assertThat(conn.isOpen()).isTrue();
        }
    }

    @Test
    void pollerThreadsBelowOneAreRejected() {
        assertThatThrownBy(() -> Transport.open("epoll", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1");
    }
}
