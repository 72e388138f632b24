package dev.netpoll.runtime;

import dev.netpoll.poll.Conn;
import dev.netpoll.poll.ConnClosedException;
import dev.netpoll.poll.Listener;
import java.io.IOException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Accepts connections on one listener, in a task of its own, and serves each on a new task.
 *
 * <p>At most {@code maxConnections} are served at once: at the limit the loop stops accepting
 * (parks on a semaphore) and new clients wait in the kernel's backlog until a connection ends, as
 * Tomcat's {@code maxConnections} does. A failing {@code accept} (out of descriptors, say) is
 * logged and retried after a back-off of 5 ms doubling to 1 s, as Go's {@code Server.Serve} does;
 * closing the listener ends the loop.
 *
 * <p>While the loop runs, a non-daemon platform thread waits for it to end, as Tomcat's await
 * thread does. Tasks are virtual threads, which are daemons, so without it a process whose
 * {@code main} returned after starting a server would exit at once, on any transport that has no
 * platform thread of its own (the nio transport; epoll's poller thread had hidden this).
 */
public final class AcceptLoop implements Runnable {

    private static final System.Logger LOG = System.getLogger(AcceptLoop.class.getName());

    private final Listener listener;
    private final Tasks tasks;
    private final ConnHandler handler;
    private final Semaphore permits;
    private final int maxConnections;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong limitReached = new AtomicLong();
    /** The body of every connection's task, made once (see {@link Tasks#start(java.util.function.Consumer, Object)}). */
    private final java.util.function.Consumer<Conn> serveConn = this::serve;
    /** The loop's own task, once started; read by the goroutine dump. */
    private volatile Thread task;
    /** True while the loop waits for a connection to end (at the limit); read by the goroutine dump. */
    private volatile boolean pausedAtLimit;

    public AcceptLoop(Listener listener, Tasks tasks, int maxConnections, ConnHandler handler) {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("max connections must be at least 1, was " + maxConnections);
        }
        this.listener = listener;
        this.tasks = tasks;
        this.handler = handler;
        this.permits = new Semaphore(maxConnections);
        this.maxConnections = maxConnections;
    }

    /** Starts the loop as a task, and the platform thread that keeps the JVM alive while it runs. */
    public Thread start() {
        Thread loop = tasks.start(this);
        task = loop;
        Thread.ofPlatform().name("netpoll-await-" + listener.localAddress().getPort()).daemon(false).start(() -> {
            try {
                loop.join();
            } catch (InterruptedException e) {
                // Asked to stop waiting: the JVM may exit while the loop still runs.
            }
        });
        return loop;
    }

    @Override
    public void run() {
        long backoffMillis = 0;
        while (listener.isOpen()) {
            try {
                if (!permits.tryAcquire()) {
                    limitReached.incrementAndGet();
                    pausedAtLimit = true;
                    try {
                        permits.acquire();
                    } finally {
                        pausedAtLimit = false;
                    }
                }
            } catch (InterruptedException e) {
                return;
            }
            Conn conn;
            try {
                conn = listener.accept();
                backoffMillis = 0;
            } catch (ConnClosedException e) {
                permits.release();
                return;
            } catch (IOException e) {
                permits.release();
                if (!listener.isOpen()) {
                    return;
                }
                backoffMillis = backoffMillis == 0 ? 5 : Math.min(backoffMillis * 2, 1000);
                LOG.log(System.Logger.Level.WARNING,
                        "accept on " + listener.localAddress() + " failed: " + e.getMessage()
                                + "; retrying in " + backoffMillis + " ms");
                try {
                    Thread.sleep(backoffMillis);
                } catch (InterruptedException ie) {
                    return;
                }
                continue;
            }
            accepted.incrementAndGet();
            try {
                tasks.start(serveConn, conn);
            } catch (RuntimeException | Error e) {
                conn.close();
                permits.release();
                throw e;
            }
        }
    }

    private void serve(Conn conn) {
        try {
            handler.serve(conn);
        } catch (Exception e) {
            LOG.log(System.Logger.Level.DEBUG, "connection from " + conn.remoteAddress() + " ended", e);
        } finally {
            conn.close();
            permits.release();
        }
    }

    /**
     * Permits taken: connections being served, plus one while the loop itself waits in accept.
     * Zero once the listener is closed and every connection's task has ended.
     */
    public int inService() {
        return maxConnections - permits.availablePermits();
    }

    /** Connections accepted so far. */
    public long accepted() {
        return accepted.get();
    }

    /** The loop's task, or null before {@link #start}. */
    public Thread task() {
        return task;
    }

    /** Whether the loop is paused now because every permit is taken. */
    public boolean pausedAtLimit() {
        return pausedAtLimit;
    }

    /** Times the loop found every permit taken and paused accepting. */
    public long limitReached() {
        return limitReached.get();
    }
}
