package dev.netpoll.sys;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** The packed peer address a connection keeps gives back the address libc filled in. */
class SockAddrTest {

    private static InetSocketAddress roundTrip(InetSocketAddress address) {
        var sa = new SockAddr();
        sa.encode(address);
        byte[] packed = sa.pack();
        assertThat(sa.decode()).isEqualTo(address);
        return SockAddr.unpack(packed);
    }

    @Test
    void anIpv4PeerIsSixBytesAndComesBackWhole() throws Exception {
        var peer = new InetSocketAddress(InetAddress.getByName("192.0.2.200"), 65534);
        var sa = new SockAddr();
        sa.encode(peer);
        assertThat(sa.pack()).hasSize(6);
        assertThat(roundTrip(peer)).isEqualTo(peer);
        assertThat(roundTrip(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 1))).hasToString("/127.0.0.1:1");
    }

    @Test
    void anIpv6PeerKeepsItsScope() throws Exception {
        byte[] linkLocal = InetAddress.getByName("fe80::1:2:3:4").getAddress();
        var scoped = new InetSocketAddress(Inet6Address.getByAddress(null, linkLocal, 7), 8443);
        InetSocketAddress back = roundTrip(scoped);
        assertThat(back).isEqualTo(scoped);
        assertThat(((Inet6Address) back.getAddress()).getScopeId()).isEqualTo(7);
        var global = new InetSocketAddress(InetAddress.getByName("2001:db8::ff"), 443);
        assertThat(roundTrip(global)).isEqualTo(global);
    }
}
