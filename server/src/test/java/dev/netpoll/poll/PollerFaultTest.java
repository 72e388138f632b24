package dev.netpoll.poll;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How a poller survives failures of its own system calls. */
@Timeout(60)
class PollerFaultTest {

    /**
     * The poll task's epoll_wait fails (the epoll descriptor number briefly names an eventfd, so
     * the kernel answers EINVAL); once the descriptor is good again, connections of that poller
     * are served again and the restart is counted.
     */
    @Test
    void aPollTaskKilledByAFailedEpollWaitIsRestartedAndConnectionsCarryOn() throws Exception {
        try (var server = new EchoServer("epoll", EchoServer.echo(4096));
                var socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.setSoTimeout(10_000);
            var in = new DataInputStream(socket.getInputStream());
            assertThat(roundTrip(socket, in, "one")).isEqualTo("one");
            // The connection registers when its task next waits: not while the number is bogus.
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (server.transport.stats().registered() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertThat(server.transport.stats().registered()).as("listener and connection registered").isEqualTo(2);

            try (var swapped = Descriptors.swapForEventfd(((EpollTransport) server.transport).pollerFor(0).epollFd())) {
                // Readiness of the real epoll still reaches the platform thread, which unparks the
                // poll task into a failing epoll_wait.
                socket.getOutputStream().write("two".getBytes(StandardCharsets.US_ASCII));
                Thread.sleep(300);
            }
            assertThat(read(in, 3)).isEqualTo("two");
            assertThat(roundTrip(socket, in, "three")).isEqualTo("three");
            assertThat(server.transport.stats().pollTaskRestarts()).isPositive();
        }
    }

    private static String roundTrip(Socket socket, DataInputStream in, String text) throws Exception {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        return read(in, text.length());
    }

    private static String read(DataInputStream in, int length) throws Exception {
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }
}
