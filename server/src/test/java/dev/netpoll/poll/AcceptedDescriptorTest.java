package dev.netpoll.poll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netpoll.sys.LibC;
import dev.netpoll.sys.SockAddr;
import dev.netpoll.sys.SyscallException;
import java.net.StandardProtocolFamily;
import java.nio.channels.SocketChannel;
import org.junit.jupiter.api.Test;

/**
 * An accepted connection that cannot be set up (its socket options fail) is closed, not leaked: a
 * server that keeps accepting through such failures would otherwise run out of descriptors.
 */
class AcceptedDescriptorTest {

    /** setsockopt(TCP_NODELAY) fails on a descriptor that is not a TCP socket (ENOTSOCK). */
    @Test
    void epollClosesAnAcceptedDescriptorWhoseSocketOptionFails() throws Exception {
        try (var transport = (EpollTransport) Transport.open("epoll", 1)) {
            int fd = LibC.eventfd(0, LibC.EFD_CLOEXEC);
            assertThat(fd).isNotNegative();
            assertThatThrownBy(() -> EpollListener.adopt(transport, fd, new SockAddr()))
                    .isInstanceOf(SyscallException.class)
                    .hasMessageContaining("TCP_NODELAY");
            assertThat(Descriptors.isOpen(fd)).as("descriptor %d closed", fd).isFalse();
        }
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
