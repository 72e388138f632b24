package dev.netpoll.poll;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;

/** A listening channel of the nio transport; {@code accept} parks in the JDK's poller. */
final class NioListener implements Listener {

    private final NioTransport transport;
    private final ServerSocketChannel channel;
    private final InetSocketAddress bound;

    NioListener(NioTransport transport, ServerSocketChannel channel) throws IOException {
        this.transport = transport;
        this.channel = channel;
        this.bound = (InetSocketAddress) channel.getLocalAddress();
    }

    @Override
    public Conn accept() throws IOException {
        transport.stats().parked(WaitReason.ACCEPT, 1);
        try {
            return transport.adopt(channel.accept());
        } catch (ClosedChannelException e) {
            throw new ConnClosedException();
        } finally {
            transport.stats().parked(WaitReason.ACCEPT, -1);
        }
    }

    @Override
    public InetSocketAddress localAddress() {
        return bound;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closing a listening channel fails only if it is already unusable.
        }
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }
}
