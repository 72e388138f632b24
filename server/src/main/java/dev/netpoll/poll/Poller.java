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
 *       hang-up, with its {@link PollDesc} token as user data: a listener when it opens, a
 *       connection before its first wait ({@link NetFd}). It is never re-armed: edges that
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
 * <h2>The monitor (Go's sysmon)</h2>
 * Edges become wake-ups in the poll task, a virtual thread, so they need a free carrier. When every
 * carrier is taken (a task pinned in a park, CPU-bound handlers) the poll task cannot run, and a
 * waiter would sleep until its deadline even though its data is there. So the platform thread
 * watches the poll task as Go's sysmon watches the scheduler: whenever the poll task owes a poll
 * (it was handed events, or it is not parked idle) and has not polled for {@value #MONITOR_MILLIS}
 * ms, the platform thread polls the inner epoll itself, without blocking, and readies the waiters.
 * Both may then consume events concurrently: edge-triggered, each event is reported to one of them
 * once, and readying a slot twice is harmless ({@link PollDesc#ready} is idempotent), so no event
 * is handled wrongly and none is lost. The platform thread also restarts a poll task that died (a
 * failed {@code epoll_wait} or {@code epoll_ctl}), with a back-off, and counts it; until then the
 * monitor keeps its connections served.
 *
 * <h2>Threads</h2>
 * The platform thread owns {@code outerEvents}, {@code monitorEvents} and the restart book-keeping;
 * the poll task owns {@code events} and writes {@code progress} and {@code lastPoll}, which the
 * platform thread reads. The descriptor table is written by registering and closing tasks (under
 * {@code tableLock} when it grows) and read by both pollers with acquire semantics.
 */
final class Poller implements Runnable {

    private static final System.Logger LOG = System.getLogger(Poller.class.getName());
    private static final long WAKE_TOKEN = -1L;
    private static final long INNER_TOKEN = -2L;
    private static final int MAX_EVENTS = 256;
    static final int SWEEP_MILLIS = 50;
    /** Go's sysmon polls the network when nobody has for 10 ms. */
    static final int MONITOR_MILLIS = 10;
    private static final long MAX_RESTART_DELAY_NANOS = 1_000_000_000L;
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
    private final EpollEvents monitorEvents = new EpollEvents(MAX_EVENTS);
    // epoll_ctl's input struct; guarded by ctlLock (registrations come from many tasks).
    private final EpollEvents ctlEvent = new EpollEvents(1);
    private final ReentrantLock ctlLock = new ReentrantLock();
    private final ByteBuffer eventFdBuffer = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
    private final long eventFdAddress = LibC.address(eventFdBuffer);
    private final AtomicBoolean wakeSignalled = new AtomicBoolean();
    private final ReentrantLock tableLock = new ReentrantLock();
    private volatile PollDesc[] table = new PollDesc[1024];
    private volatile boolean stopping;
    private final String name;
    private final Thread thread;
    /** The current poll task; replaced by the platform thread when one dies. */
    private volatile Thread pollTask;
    /**
     * Written by the poll task: its poll count and whether it is parked with the outer epoll armed
     * ({@link PollProgress}). One word, so the monitor never pairs a count with a stale idle flag.
     */
    private volatile long progress = PollProgress.busy(0);
    /**
     * Written by the poll task before it publishes a new count or wakes: System.nanoTime() then.
     */
    private volatile long lastPoll = System.nanoTime();

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
        this.name = name;
        pollTask = Thread.ofVirtual().name(name + "-task").unstarted(this::pollLoop);
        // Not a daemon: a running transport keeps the JVM alive, as Tomcat's threads do; every
        // other Netpoll thread is virtual. Closing the transport ends it.
        thread = Thread.ofPlatform().name(name).daemon(false).unstarted(this);
        pollTask.start();
        thread.start();
    }

    /** Adds {@code pd}'s descriptor to the epoll set; after this, events reach {@code pd}. */
    void register(PollDesc pd) throws SyscallException {
        boolean added = false;
        try {
            put(pd.fd, pd);
            ctl(epfd, LibC.EPOLL_CTL_ADD, pd.fd,
                    LibC.EPOLLIN | LibC.EPOLLOUT | LibC.EPOLLRDHUP | LibC.EPOLLET, pd.token());
            added = true;
        } finally {
            if (!added) {
                clear(pd);
            }
        }
        stats.registered.incrementAndGet();
    }

    /** Removes {@code pd}'s descriptor; must run before the descriptor is closed. */
    void deregister(PollDesc pd) {
        try {
            // DEL ignores the event argument (Linux 2.6.9 and later): no shared struct, so no
            // ctlLock, which closing connections would otherwise queue on.
            if (LibC.epoll_ctl(epfd, LibC.EPOLL_CTL_DEL, pd.fd, 0) < 0) {
                throw new SyscallException("epoll_ctl", LibC.errno(), "EPOLL_CTL_DEL fd " + pd.fd);
            }
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
     * the poll task has parked with nothing to do, sweeps deadlines every period, and acts as the
     * monitor (see the class comment) while the poll task owes a poll.
     */
    @Override
    public void run() {
        long nextSweep = System.nanoTime() + SWEEP_MILLIS * 1_000_000L;
        var monitor = new Monitor();
        try {
            while (!stopping) {
                int timeout = monitor.owed() ? MONITOR_MILLIS
                        : (int) Math.clamp((nextSweep - System.nanoTime()) / 1_000_000L + 1, 1, SWEEP_MILLIS);
                int n = LibC.epoll_wait(outerFd, outerEvents.address(), outerEvents.capacity(), timeout);
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
                        // Read before the unpark, so that only a poll the task starts after it counts.
                        monitor.handedOff(progress, System.nanoTime());
                        LockSupport.unpark(pollTask);
                    } else {
                        LibC.read(eventFd, eventFdAddress, 8);
                        wakeSignalled.set(false);
                    }
                }
                long now = System.nanoTime();
                monitor.check(now);
                if (now - nextSweep >= 0) {
                    sweep(now);
                    nextSweep = now + SWEEP_MILLIS * 1_000_000L;
                }
            }
        } finally {
            Thread task = pollTask;
            LockSupport.unpark(task);
            try {
                task.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            LibC.close(eventFd);
            LibC.close(outerFd);
            LibC.close(epfd);
        }
    }

    /** The platform thread's watch over the poll task; state owned by the platform thread. */
    private final class Monitor {

        private final PollDebt debt = new PollDebt();
        private long restartDelay;
        private long restartAt;
        private long restartedAt;
        private boolean failing;

        void handedOff(long progress, long now) {
            debt.handedOff(progress, now);
        }

        /** True while the poll task owes a poll: it was handed events, or it is not parked idle. */
        boolean owed() {
            return debt.owed(progress);
        }

        void check(long now) {
            restartIfDead(now);
            long p = progress; // before lastPoll: the time read is then no older than this count
            if (debt.overdue(p, lastPoll, now, MONITOR_MILLIS * 1_000_000L)) {
                pollForTheTask();
            }
        }

        /** Polls the inner epoll without blocking, on this platform thread, and readies waiters. */
        private void pollForTheTask() {
            int n;
            do {
                n = LibC.epoll_wait(epfd, monitorEvents.address(), MAX_EVENTS, 0);
                stats.waitCalls.increment();
                if (n < 0) {
                    int errno = LibC.errno();
                    if (errno != Errno.EINTR && !failing) {
                        failing = true;
                        LOG.log(System.Logger.Level.WARNING, "poller " + name + " monitor cannot poll",
                                new SyscallException("epoll_wait", errno));
                    }
                    return;
                }
                failing = false;
                long woken = dispatch(monitorEvents, n);
                stats.wakeups.add(woken);
                stats.monitorWakeups.add(woken);
            } while (n == MAX_EVENTS);
        }

        /**
         * Starts a new poll task if the current one died, at most once per back-off (10 ms,
         * doubling to 1 s, reset once a restarted task has lived a second).
         */
        private void restartIfDead(long now) {
            Thread task = pollTask;
            if (task.isAlive()) {
                if (restartDelay != 0 && now - restartedAt >= MAX_RESTART_DELAY_NANOS) {
                    restartDelay = 0;
                }
                return;
            }
            if (stopping || restartDelay != 0 && now - restartAt < 0) {
                return;
            }
            restartDelay = restartDelay == 0 ? MONITOR_MILLIS * 1_000_000L
                    : Math.min(restartDelay * 2, MAX_RESTART_DELAY_NANOS);
            restartAt = now + restartDelay;
            restartedAt = now;
            stats.pollTaskRestarts.increment();
            LOG.log(System.Logger.Level.WARNING, "poll task of " + name + " died; restarting it");
            Thread restarted = Thread.ofVirtual().name(name + "-task").unstarted(Poller.this::pollLoop);
            pollTask = restarted;
            restarted.start();
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
        // A restarted task continues the count of the one that died, so unsettled hand-offs settle.
        long polls = PollProgress.polls(progress);
        try {
            while (!stopping) {
                lastPoll = System.nanoTime();
                progress = PollProgress.busy(++polls);
                int n = LibC.epoll_wait(epfd, events.address(), MAX_EVENTS, 0);
                stats.waitCalls.increment();
                if (n > 0) {
                    stats.wakeups.add(dispatch(events, n));
                    Thread.yield();
                    continue;
                }
                if (n < 0) {
                    int errno = LibC.errno();
                    if (errno == Errno.EINTR) {
                        continue;
                    }
                    throw new SyscallException("epoll_wait", errno);
                }
                ctl(outerFd, LibC.EPOLL_CTL_MOD, epfd, LibC.EPOLLIN | LibC.EPOLLONESHOT, INNER_TOKEN);
                // Idle only once armed: an event from here on reaches the platform thread.
                progress = PollProgress.idle(polls);
                LockSupport.park(this);
                lastPoll = System.nanoTime(); // awake, about to poll: not overdue yet
                progress = PollProgress.busy(polls);
            }
        } catch (SyscallException | RuntimeException e) {
            if (!stopping) {
                LOG.log(System.Logger.Level.ERROR, "poll task of " + name + " failed", e);
            }
        } finally {
            progress = PollProgress.busy(polls);
        }
    }

    /** Hands {@code n} events in {@code polled} to their descriptors; returns the tasks woken. */
    private long dispatch(EpollEvents polled, int n) {
        long delivered = 0;
        long woken = 0;
        for (int i = 0; i < n; i++) {
            long token = polled.data(i);
            int fd = (int) token;
            PollDesc[] t = table;
            PollDesc pd = fd < t.length ? (PollDesc) TABLE_SLOT.getAcquire(t, fd) : null;
            if (pd == null || pd.seq != (int) (token >>> 32)) {
                continue; // a late event for a closed descriptor whose number may be reused
            }
            int mask = polled.events(i);
            boolean readable = (mask & (LibC.EPOLLIN | LibC.EPOLLRDHUP | LibC.EPOLLHUP | LibC.EPOLLERR)) != 0;
            boolean writable = (mask & (LibC.EPOLLOUT | LibC.EPOLLHUP | LibC.EPOLLERR)) != 0;
            boolean hangUp = (mask & (LibC.EPOLLRDHUP | LibC.EPOLLHUP | LibC.EPOLLERR)) != 0;
            woken += pd.ready(readable, writable, hangUp);
            delivered++;
        }
        stats.eventsDelivered.add(delivered);
        return woken;
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

    /** The inner epoll descriptor, for diagnostics and fault-injection tests. */
    int epollFd() {
        return epfd;
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
