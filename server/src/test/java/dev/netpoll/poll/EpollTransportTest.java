package dev.netpoll.poll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netpoll.sys.LibC;
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

    @Test
    void pollerThreadsBelowOneAreRejected() {
        assertThatThrownBy(() -> Transport.open("epoll", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1");
    }
}
