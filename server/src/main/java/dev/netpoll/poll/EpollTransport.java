package dev.netpoll.poll;

import dev.netpoll.sys.SyscallException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Linux transport: non-blocking sockets through libc, parked tasks woken by epoll. Descriptors
 * are sharded between the poller threads by number.
 */
final class EpollTransport implements Transport {

    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final Poller[] pollers;
    private final PollStats stats = new PollStats();
    private final AtomicInteger seq = new AtomicInteger();

    EpollTransport(int pollerThreads) throws SyscallException {
        if (pollerThreads < 1) {
            throw new IllegalArgumentException("poller threads must be at least 1, was " + pollerThreads);
        }
        int instance = INSTANCES.incrementAndGet();
        pollers = new Poller[pollerThreads];
        try {
            for (int i = 0; i < pollerThreads; i++) {
                pollers[i] = new Poller("netpoll-poller-" + instance + "-" + i, stats);
            }
        } catch (SyscallException e) {
            close();
            throw e;
        }
    }

    Poller pollerFor(int fd) {
        return pollers[fd % pollers.length];
    }

    int nextSeq() {
        return seq.incrementAndGet();
    }

    @Override
    public String name() {
        return "epoll";
    }

    @Override
    public int pollerThreads() {
        return pollers.length;
    }

    @Override
    public Listener listen(InetSocketAddress address, int backlog, Duration deferAccept) throws IOException {
        return EpollListener.bind(this, address, backlog, deferAccept);
    }

    @Override
    public PollStats stats() {
        return stats;
    }

    @Override
    public void close() {
        for (Poller poller : pollers) {
            if (poller != null) {
                poller.shutdown();
            }
        }
        for (Poller poller : pollers) {
            if (poller != null) {
                try {
                    poller.awaitTermination(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
