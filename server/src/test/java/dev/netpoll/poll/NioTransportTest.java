package dev.netpoll.poll;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class NioTransportTest extends TransportContract {

    @Override
    String transportName() {
        return "nio";
    }

    /** The JDK's own poller threads (read and write pollers, and the one for timed parks). */
    @Override
    int pollingThreads(Transport transport) {
        return 3;
    }

    /** The JDK cannot defer accepting: a deferral asked of nio still hands over silent clients. */
    @Test
    void aDeferralAskedOfNioStillHandsOverASilentConnection() throws Exception {
        try (var transport = Transport.open("nio", 1);
                var listener = transport.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16,
                        Duration.ofSeconds(30));
                var client = new Socket(InetAddress.getLoopbackAddress(), listener.localAddress().getPort());
                Conn conn = listener.accept()) {
            assertThat(conn.isOpen()).isTrue();
        }
    }
}
