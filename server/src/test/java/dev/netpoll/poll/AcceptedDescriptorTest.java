package dev.netpoll.poll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netpoll.sys.LibC;
import dev.netpoll.sys.SockAddr;
import dev.netpoll.sys.SyscallException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What an accepted connection is set up with, and that one whose set-up fails is closed, not
 * leaked: a server that keeps accepting through such failures would otherwise run out of
 * descriptors.
 */
@Timeout(30)
class AcceptedDescriptorTest {

    /**
     * Accepted sockets have TCP_NODELAY from the listening socket, which Linux copies into each
     * (the epoll transport makes no setsockopt per connection): over IPv4, IPv6, and IPv4 into a
     * dual-stack listener.
     */
    @ParameterizedTest(name = "listening on {0}, connecting to {1}")
    @CsvSource({"127.0.0.1, 127.0.0.1", "::1, ::1", "::, 127.0.0.1"})
    void epollAcceptedSocketsHaveNoDelay(String listenOn, String connectTo) throws Exception {
        try (var transport = Transport.open("epoll", 1);
                var listener = transport.listen(new InetSocketAddress(InetAddress.getByName(listenOn), 0), 16);
                var client = new Socket(InetAddress.getByName(connectTo), listener.localAddress().getPort())) {
            var conn = (NetFd) listener.accept();
            try {
                assertThat(noDelay(conn.fd())).isEqualTo(1);
            } finally {
                conn.close();
            }
        }
    }

    /**
     * A connection is registered with epoll only when a task first has to wait on it: one whose
     * request came with the connect is read without an epoll_ctl, and the first read that must
     * wait registers it and is woken by the next bytes.
     */
    @Test
    void epollRegistersAConnectionWhenItFirstWaits() throws Exception {
        try (var transport = Transport.open("epoll", 1);
                var listener = transport.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
                var client = new Socket(InetAddress.getLoopbackAddress(), listener.localAddress().getPort())) {
            assertThat(transport.stats().registered()).as("the listener, registered when opened").isEqualTo(1);
            client.getOutputStream().write("GET".getBytes(StandardCharsets.US_ASCII));
            Thread.sleep(50);
            var conn = listener.accept();
            long registered = transport.stats().registered();
            try {
                var buffer = ByteBuffer.allocateDirect(64);
                assertThat(conn.read(buffer)).isEqualTo(3);
                assertThat(transport.stats().registered()).as("registered after a read that had data")
                        .isEqualTo(registered);
                var second = Thread.ofVirtual().start(() -> {
                    try {
                        conn.read(buffer);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                while (conn.parkedOn() != WaitReason.READ) {
                    Thread.sleep(1);
                }
                assertThat(transport.stats().registered()).as("registered once the read waits")
                        .isEqualTo(registered + 1);
                client.getOutputStream().write(" /".getBytes(StandardCharsets.US_ASCII));
                second.join(10_000);
                assertThat(second.isAlive()).as("waiting read woken").isFalse();
                assertThat(StandardCharsets.US_ASCII.decode(buffer.flip()).toString()).isEqualTo("GET /");
            } finally {
                conn.close();
            }
            assertThat(transport.stats().registered()).as("deregistered at close").isEqualTo(registered);
        }
    }

    /**
     * If epoll refuses the registration (here: the poller's epoll descriptor number briefly names
     * an eventfd, so epoll_ctl fails with EINVAL), the read that needed it fails naming the call,
     * and the connection is closed, since nothing could ever wake a task waiting on it.
     */
    @Test
    void epollClosesAConnectionThatCannotBeRegistered() throws Exception {
        try (var transport = (EpollTransport) Transport.open("epoll", 1);
                var listener = transport.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
                var client = new Socket(InetAddress.getLoopbackAddress(), listener.localAddress().getPort())) {
            var conn = (NetFd) listener.accept();
            int fd = conn.fd();
            try (var swapped = Descriptors.swapForEventfd(transport.pollerFor(fd).epollFd())) {
                assertThatThrownBy(() -> conn.read(ByteBuffer.allocateDirect(64)))
                        .isInstanceOf(SyscallException.class)
                        .hasMessageContaining("epoll_ctl");
            }
            assertThat(conn.isOpen()).as("connection closed").isFalse();
            assertThat(Descriptors.isOpen(fd)).as("descriptor %d closed", fd).isFalse();
        }
    }

    /** An accepted descriptor whose peer address cannot be read (no family) is closed, not leaked. */
    @Test
    void epollClosesAnAcceptedDescriptorThatCannotBeWrapped() throws Exception {
        try (var transport = (EpollTransport) Transport.open("epoll", 1)) {
            int fd = LibC.eventfd(0, LibC.EFD_CLOEXEC);
            assertThat(fd).isNotNegative();
            assertThatThrownBy(() -> EpollListener.adopt(transport, fd, new SockAddr()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("address family");
            assertThat(Descriptors.isOpen(fd)).as("descriptor %d closed", fd).isFalse();
        }
    }

    /**
     * Whatever fails while the wrapper is built (here a missing transport; in production, memory),
     * the descriptor handed over is closed: its number is in no other hands.
     */
    @Test
    void epollClosesADescriptorWhoseWrapperCannotBeBuilt() {
        int fd = LibC.eventfd(0, LibC.EFD_CLOEXEC);
        assertThat(fd).isNotNegative();
        assertThatThrownBy(() -> NetFd.open(fd, null, new byte[0])).isInstanceOf(NullPointerException.class);
        assertThat(Descriptors.isOpen(fd)).as("descriptor %d closed", fd).isFalse();
    }

    private static int noDelay(int fd) {
        var value = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
        long address = LibC.address(value);
        value.putInt(4, 4);
        assertThat(Descriptors.getsockopt(fd, LibC.IPPROTO_TCP, LibC.TCP_NODELAY, address, address + 4)).isZero();
        return value.getInt(0);
    }

    /** TCP_NODELAY is unsupported on a Unix-domain channel. */
    @Test
    void nioClosesAnAcceptedChannelWhoseSocketOptionFails() throws Exception {
        try (var transport = new NioTransport(); var channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            assertThatThrownBy(() -> transport.adopt(channel)).isInstanceOf(UnsupportedOperationException.class);
            assertThat(channel.isOpen()).as("channel closed").isFalse();
        }
    }
}
