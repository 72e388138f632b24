package dev.netpoll.poll;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netpoll.sys.LibC;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Socket options set through libc arrive as set, even while the collector runs: the temporary
 * native buffer holding the value must stay reachable until setsockopt has read it (a direct buffer
 * whose last Java use is taking its address may otherwise be freed during the call).
 *
 * <p>A regression guard rather than a reproduction: the window (between taking the address and the
 * kernel copying four bytes) is far too short to hit on demand, so this passes with or without the
 * reachability fence. Alternating values would expose a read of freed memory should it happen.
 */
class SocketOptionTest {

    @Test
    void optionValuesArriveAsSetUnderCollectorPressure() throws Exception {
        int fd = LibC.socket(LibC.AF_INET, LibC.SOCK_STREAM | LibC.SOCK_CLOEXEC, 0);
        assertThat(fd).isNotNegative();
        var running = new AtomicBoolean(true);
        Thread churn = Thread.ofPlatform().start(() -> {
            List<ByteBuffer> garbage = new ArrayList<>();
            while (running.get()) {
                garbage.add(ByteBuffer.allocateDirect(64));
                if (garbage.size() == 10_000) {
                    garbage.clear();
                    System.gc();
                }
            }
        });
        var read = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
        long readAddress = LibC.address(read);
        try {
            for (int i = 0; i < 50_000; i++) {
                int value = i & 1;
                EpollListener.setIntOption(fd, LibC.IPPROTO_TCP, LibC.TCP_NODELAY, value, "TCP_NODELAY");
                read.putInt(4, 4);
                assertThat(Descriptors.getsockopt(fd, LibC.IPPROTO_TCP, LibC.TCP_NODELAY, readAddress, readAddress + 4))
                        .isZero();
                assertThat(read.getInt(0)).as("TCP_NODELAY after setting %d", value).isEqualTo(value);
            }
        } finally {
            running.set(false);
            churn.join();
            LibC.close(fd);
        }
    }
}
