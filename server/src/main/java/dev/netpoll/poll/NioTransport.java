package dev.netpoll.poll;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The portable transport: blocking JDK channels used from virtual threads, so the JDK's own poller
 * parks and wakes the tasks. Chosen where libc or epoll is unavailable, or on request.
 *
 * <p>Differences from epoll, all within the {@link Conn} contract: deadlines are enforced by a
 * sweeper task every {@value DeadlineSweeper#PERIOD_MILLIS} ms and a passed deadline closes the
 * connection (a blocking channel read cannot be interrupted otherwise); {@link Conn#awaitReadable}
 * returns at once, so an idle connection's task holds its read buffer; parked counts are tasks
 * inside a blocking call; poller counters stay 0. An interrupt that arrives during a blocking call
 * closes the connection (the JDK's rule for interruptible channels); one already set before the
 * call is set aside, as epoll waits do.
 */
final class NioTransport implements Transport {

    private static final System.Logger LOG = System.getLogger(NioTransport.class.getName());

    private final PollStats stats = new PollStats();
    private final Set<NioConn> conns = ConcurrentHashMap.newKeySet();
    private final DeadlineSweeper sweeper = new DeadlineSweeper(conns);

    @Override
    public String name() {
        return "nio";
    }

    @Override
    public int pollerThreads() {
        return 0;
    }

    @Override
    public Listener listen(InetSocketAddress address, int backlog, Duration deferAccept) throws IOException {
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("cannot listen on unresolved host " + address.getHostString());
        }
        if (deferAccept.isPositive()) {
            LOG.log(System.Logger.Level.WARNING, "the nio transport cannot defer accepting (defer-accept "
                    + deferAccept + "): connections on " + address + " are handed over at the handshake");
        }
        var channel = ServerSocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(address, backlog);
        } catch (BindException e) {
            channel.close();
            var failure = new BindException("bind on " + address + ": " + e.getMessage());
            failure.initCause(e);
            throw failure;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        return new NioListener(this, channel);
    }

    /** Sets up an accepted channel; owns it, and closes it if that fails. */
    NioConn adopt(java.nio.channels.SocketChannel channel) throws IOException {
        NioConn conn;
        try {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            conn = new NioConn(channel, stats, conns::remove);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        conns.add(conn);
        sweeper.ensureRunning();
        return conn;
    }

    @Override
    public PollStats stats() {
        return stats;
    }

    @Override
    public void close() {
        sweeper.stop();
    }
}
