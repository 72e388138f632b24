package dev.netpoll.poll;

import dev.netpoll.sys.EpollEvents;
import dev.netpoll.sys.Errno;
import dev.netpoll.sys.LibC;
import dev.netpoll.sys.SyscallException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One epoll instance and the platform thread that waits on it.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>{@link #register} adds a descriptor once, edge-triggered for input, output and peer
 *       hang-up, with its {@link PollDesc} token as user data. It is never re-armed: edges that
 *       arrive while nobody waits are kept in the descriptor's wait slots.</li>
 *   <li>{@link #deregister} removes it ({@code EPOLL_CTL_DEL}) before the descriptor is closed.</li>
 *   <li>{@link #wakeup} interrupts a blocked {@code epoll_wait} through an eventfd in the same set;
 *       concurrent calls are coalesced by a CAS flag, so one write serves them all.</li>
 *   <li>The loop maps {@code EPOLLIN|EPOLLRDHUP|EPOLLHUP|EPOLLERR} to read-ready and
 *       {@code EPOLLOUT|EPOLLHUP|EPOLLERR} to write-ready and unparks exactly the waiters of that
 *       descriptor. Events whose token no longer matches the registered descriptor (closed and the
 *       number reused) are dropped.</li>
 * </ul>
 * <h2>Deadlines</h2>
 * Waiters park untimed. Every {@value #SWEEP_MILLIS} ms (the {@code epoll_wait} timeout) the loop
 * sweeps its descriptor table and wakes waiters whose deadline has passed. A timed park per wait
 * would schedule and cancel a JDK timer on every keep-alive request: measured, that cost a third
 * of the raw server's throughput. The sweep costs one pass over the registered descriptors per
 * period instead, and deadlines fire up to one period late.
 *
 * <h2>Threads</h2>
 * The loop runs on its own platform thread, the only thread that reads {@code events}. The
 * descriptor table is written by registering and closing tasks (under {@code tableLock} when it
 * grows) and read by the loop with acquire semantics.
 */
final class Poller implements Runnable {

    private static final System.Logger LOG = System.getLogger(Poller.class.getName());
    private static final long WAKE_TOKEN = -1L;
    private static final long INNER_TOKEN = -2L;
    private static final int MAX_EVENTS = 256;
    static final int SWEEP_MILLIS = 50;
    private static final VarHandle TABLE_SLOT = MethodHandles.arrayElementVarHandle(PollDesc[].class);

    // The eventfd counter increment, shared read-only by every waker.
    private static final ByteBuffer ONE = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder()).putLong(0, 1);
    private static final long ONE_ADDRESS = LibC.address(ONE);

    private final int epfd;
    // The outer epoll: holds epfd (one-shot) and the eventfd; only the platform thread waits on it.
    private final int outerFd;
    private final int eventFd;
    private final PollStats stats;
    // Read by the poll task only.
    private final EpollEvents events = new EpollEvents(MAX_EVENTS);
    // Read by the platform thread only.
    private final EpollEvents outerEvents = new EpollEvents(4);
    // epoll_ctl's input struct; guarded by ctlLock (registrations come from many tasks).
    private final EpollEvents ctlEvent = new EpollEvents(1);
    private final ReentrantLock ctlLock = new ReentrantLock();
    private final ByteBuffer eventFdBuffer = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
    private final long eventFdAddress = LibC.address(eventFdBuffer);
    private final AtomicBoolean wakeSignalled = new AtomicBoolean();
    private final ReentrantLock tableLock = new ReentrantLock();
    private volatile PollDesc[] table = new PollDesc[1024];
    private volatile boolean stopping;
    private final Thread thread;
    private final Thread pollTask;

    Poller(String name, PollStats stats) throws SyscallException {
        this.stats = stats;
        epfd = LibC.epoll_create1(LibC.EPOLL_CLOEXEC);
        if (epfd < 0) {
            throw new SyscallException("epoll_create1", LibC.errno());
        }
        outerFd = LibC.epoll_create1(LibC.EPOLL_CLOEXEC);
        if (outerFd < 0) {
            int errno = LibC.errno();
            LibC.close(epfd);
            throw new SyscallException("epoll_create1", errno);
        }
        eventFd = LibC.eventfd(0, LibC.EFD_CLOEXEC | LibC.EFD_NONBLOCK);
        if (eventFd < 0) {
            int errno = LibC.errno();
            LibC.close(epfd);
            LibC.close(outerFd);
            throw new SyscallException("eventfd", errno);
        }
        ctl(outerFd, LibC.EPOLL_CTL_ADD, eventFd, LibC.EPOLLIN | LibC.EPOLLET, WAKE_TOKEN);
        ctl(outerFd, LibC.EPOLL_CTL_ADD, epfd, LibC.EPOLLIN | LibC.EPOLLONESHOT, INNER_TOKEN);
        pollTask = Thread.ofVirtual().name(name + "-task").unstarted(this::pollLoop);
        // Not a daemon: a running transport keeps the JVM alive, as Tomcat's threads do; every
        // other Netpoll thread is virtual. Closing the transport ends it.
        thread = Thread.ofPlatform().name(name).daemon(false).unstarted(this);
        pollTask.start();
        thread.start();
    }

    /** Adds {@code pd}'s descriptor to the epoll set; after this, events reach {@code pd}. */
    void register(PollDesc pd) throws SyscallException {
        put(pd.fd, pd);
        try {
            ctl(epfd, LibC.EPOLL_CTL_ADD, pd.fd,
                    LibC.EPOLLIN | LibC.EPOLLOUT | LibC.EPOLLRDHUP | LibC.EPOLLET, pd.token());
        } catch (SyscallException e) {
            clear(pd);
            throw e;
        }
        stats.registered.incrementAndGet();
    }

    /** Removes {@code pd}'s descriptor; must run before the descriptor is closed. */
    void deregister(PollDesc pd) {
        try {
            ctl(epfd, LibC.EPOLL_CTL_DEL, pd.fd, 0, 0);
        } catch (SyscallException e) {
            // The descriptor is still ours (not yet closed), so this cannot be EBADF from reuse;
            // closing it below removes it from the set anyway.
            LOG.log(System.Logger.Level.DEBUG, "deregister fd " + pd.fd, e);
        }
        clear(pd);
        stats.registered.decrementAndGet();
    }

    private void ctl(int epoll, int op, int fd, int eventMask, long token) throws SyscallException {
        ctlLock.lock();
        try {
            ctlEvent.set(0, eventMask, token);
            if (LibC.epoll_ctl(epoll, op, fd, ctlEvent.address()) < 0) {
                throw new SyscallException("epoll_ctl", LibC.errno(), "fd " + fd);
            }
        } finally {
            ctlLock.unlock();
        }
    }

    private void put(int fd, PollDesc pd) {
        tableLock.lock();
        try {
            PollDesc[] t = table;
            if (fd >= t.length) {
                var grown = new PollDesc[Math.max(fd + 1, t.length * 2)];
                System.arraycopy(t, 0, grown, 0, t.length);
                table = t = grown;
            }
            TABLE_SLOT.setRelease(t, fd, pd);
        } finally {
            tableLock.unlock();
        }
    }

    private void clear(PollDesc pd) {
        tableLock.lock();
        try {
            PollDesc[] t = table;
            if (pd.fd < t.length && TABLE_SLOT.getAcquire(t, pd.fd) == pd) {
                TABLE_SLOT.setRelease(t, pd.fd, null);
            }
        } finally {
            tableLock.unlock();
        }
    }

    /** Interrupts {@code epoll_wait}; calls between two loop iterations share one eventfd write. */
    void wakeup() {
        if (wakeSignalled.compareAndSet(false, true)) {
            LibC.write(eventFd, ONE_ADDRESS, 8);
        }
    }

    /**
     * The platform thread: blocks on the outer epoll, which reports the inner one readable when
     * the poll task has parked with nothing to do, and sweeps deadlines every period.
     */
    @Override
    public void run() {
        long nextSweep = System.nanoTime() + SWEEP_MILLIS * 1_000_000L;
        try {
            while (!stopping) {
                int n = LibC.epoll_wait(outerFd, outerEvents.address(), outerEvents.capacity(), SWEEP_MILLIS);
                stats.waitCalls.increment();
                if (n < 0) {
                    int errno = LibC.errno();
                    if (errno == Errno.EINTR) {
                        continue;
                    }
                    LOG.log(System.Logger.Level.ERROR, "poller stops",
                            new SyscallException("epoll_wait", errno));
                    return;
                }
                for (int i = 0; i < n; i++) {
                    if (outerEvents.data(i) == INNER_TOKEN) {
                        LockSupport.unpark(pollTask);
                    } else {
                        LibC.read(eventFd, eventFdAddress, 8);
                        wakeSignalled.set(false);
                    }
                }
                long now = System.nanoTime();
                if (now - nextSweep >= 0) {
                    sweep(now);
                    nextSweep = now + SWEEP_MILLIS * 1_000_000L;
                }
            }
        } finally {
            LockSupport.unpark(pollTask);
            try {
                pollTask.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            LibC.close(eventFd);
            LibC.close(outerFd);
            LibC.close(epfd);
        }
    }

    /**
     * The poll task, a virtual thread on the carriers, like Go's scheduler calling netpoll(0):
     * it polls without blocking, readies the waiters, and yields so that they run before it polls
     * again. Under load readiness thus reaches tasks with no OS-thread switch. Only when a poll
     * finds nothing does it re-arm the outer epoll (one-shot) and park; re-arming a ready epoll
     * reports it at once, so an event that slips in between is not lost.
     */
    private void pollLoop() {
        while (!stopping) {
            int n = LibC.epoll_wait(epfd, events.address(), MAX_EVENTS, 0);
            stats.waitCalls.increment();
            if (n > 0) {
                dispatch(n);
                Thread.yield();
                continue;
            }
            if (n < 0 && LibC.errno() != Errno.EINTR) {
                LOG.log(System.Logger.Level.ERROR, "poll task stops", new SyscallException("epoll_wait", LibC.errno()));
                return;
            }
            try {
                ctl(outerFd, LibC.EPOLL_CTL_MOD, epfd, LibC.EPOLLIN | LibC.EPOLLONESHOT, INNER_TOKEN);
            } catch (SyscallException e) {
                LOG.log(System.Logger.Level.ERROR, "poll task stops", e);
                return;
            }
            LockSupport.park(this);
        }
    }

    private void dispatch(int n) {
        long delivered = 0;
        long woken = 0;
        for (int i = 0; i < n; i++) {
            long token = events.data(i);
            int fd = (int) token;
            PollDesc[] t = table;
            PollDesc pd = fd < t.length ? (PollDesc) TABLE_SLOT.getAcquire(t, fd) : null;
            if (pd == null || pd.seq != (int) (token >>> 32)) {
                continue; // a late event for a closed descriptor whose number may be reused
            }
            int mask = events.events(i);
            boolean readable = (mask & (LibC.EPOLLIN | LibC.EPOLLRDHUP | LibC.EPOLLHUP | LibC.EPOLLERR)) != 0;
            boolean writable = (mask & (LibC.EPOLLOUT | LibC.EPOLLHUP | LibC.EPOLLERR)) != 0;
            boolean hangUp = (mask & (LibC.EPOLLRDHUP | LibC.EPOLLHUP | LibC.EPOLLERR)) != 0;
            woken += pd.ready(readable, writable, hangUp);
            delivered++;
        }
        stats.eventsDelivered.add(delivered);
        stats.wakeups.add(woken);
    }

    /** Wakes every waiter of this poller whose deadline has passed. */
    private void sweep(long now) {
        PollDesc[] t = table;
        for (int i = 0; i < t.length; i++) {
            PollDesc pd = (PollDesc) TABLE_SLOT.getAcquire(t, i);
            if (pd != null) {
                pd.expire(now);
            }
        }
    }

    /** Stops the loop; the thread closes the epoll and eventfd descriptors on its way out. */
    void shutdown() {
        stopping = true;
        wakeup();
    }

    void awaitTermination(long millis) throws InterruptedException {
        thread.join(millis);
    }
}
