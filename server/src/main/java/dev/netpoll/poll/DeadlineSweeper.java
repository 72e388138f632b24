package dev.netpoll.poll;

import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Enforces deadlines for the nio transport: a task that wakes every {@value #PERIOD_MILLIS} ms and
 * closes connections whose blocked read or write is past its deadline. Started with the first
 * connection, stopped with the transport.
 */
final class DeadlineSweeper implements Runnable {

    static final long PERIOD_MILLIS = 20;

    private final Set<NioConn> conns;
    private final AtomicReference<Thread> task = new AtomicReference<>();
    private volatile boolean stopped;

    DeadlineSweeper(Set<NioConn> conns) {
        this.conns = conns;
    }

    void ensureRunning() {
        if (task.get() == null && !stopped) {
            Thread t = Thread.ofVirtual().name("netpoll-deadline-sweeper").unstarted(this);
            if (task.compareAndSet(null, t)) {
                t.start();
            }
        }
    }

    @Override
    public void run() {
        while (!stopped) {
            try {
                Thread.sleep(PERIOD_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (NioConn conn : conns) {
                conn.sweep(now);
            }
        }
    }

    void stop() {
        stopped = true;
        Thread t = task.get();
        if (t != null) {
            t.interrupt();
        }
    }
}
