package dev.netpoll.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;

/** The SNI name is read from a real ClientHello; a cut or corrupted one yields no name, never an exception. */
class ClientHelloServerNameTest {

    private static ByteBuffer clientHello(String serverName) throws Exception {
        SSLEngine client = SSLContext.getDefault().createSSLEngine("ignored", 443);
        client.setUseClientMode(true);
        var parameters = client.getSSLParameters();
        parameters.setServerNames(serverName == null ? List.of() : List.of(new SNIHostName(serverName)));
        client.setSSLParameters(parameters);
        ByteBuffer out = ByteBuffer.allocate(client.getSession().getPacketBufferSize());
        client.wrap(ByteBuffer.allocate(0), out);
        return out.flip();
    }

    @Test
    void findsTheHostNameOfAJdkClientHelloLowerCased() throws Exception {
        assertThat(ClientHelloServerName.find(clientHello("Api.Example.COM"))).isEqualTo("api.example.com");
        assertThat(ClientHelloServerName.find(clientHello(null))).isNull();
    }

    @Test
    void truncatedOrCorruptedHellosGiveNoNameAndLeaveThePositionAlone() throws Exception {
        ByteBuffer hello = clientHello("api.example.com");
        for (int length = 0; length < hello.limit(); length++) {
            ByteBuffer cut = hello.duplicate().limit(length);
            String name = ClientHelloServerName.find(cut);
            assertThat(name == null || name.equals("api.example.com")).isTrue();
            assertThat(cut.position()).isZero();
        }
        var random = new java.util.Random(13);
        for (int i = 0; i < 2000; i++) {
            ByteBuffer corrupted = ByteBuffer.allocate(hello.limit()).put(hello.duplicate()).flip();
            corrupted.put(5 + random.nextInt(hello.limit() - 5), (byte) random.nextInt());
            ClientHelloServerName.find(corrupted); // must not throw
        }
    }
}
