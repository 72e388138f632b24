package dev.netpoll.poll;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * The poller's view of one descriptor: two wait slots (read and write), the deadlines, and the
 * reference count that keeps the descriptor number alive while an operation uses it.
 *
 * <h2>Wait slots</h2>
 * {@code rg} and {@code wg} are binary semaphores, as in Go's {@code runtime/netpoll.go}. Each
 * holds one of:
 * <ul>
 *   <li>{@code null} (nil): nothing known, no waiter;</li>
 *   <li>{@link #READY}: the kernel reported readiness that nobody consumed yet;</li>
 *   <li>{@link #WAIT}: a task is about to park (between its error re-check and its commit);</li>
 *   <li>a {@link Thread}: that task is parked (or about to call park) waiting for readiness.</li>
 * </ul>
 * Transitions:
 * <pre>
 *   waiter:  READY  -> nil     consumes a readiness edge and does not sleep
 *            nil    -> WAIT    announces a wait, then re-checks close and deadline
 *            WAIT   -> thread  commits and parks; fails if the poller set READY meanwhile
 *            *      -> nil     after waking: swap, READY meaning "ready", anything else "woken"
 *   poller:  nil|WAIT|thread -> READY   on an event (unparks the thread)
 *   close, deadline passed (set in the past, or found by the poller's sweep):
 *            WAIT|thread -> nil         without readiness (unparks the thread, which
 *                                       re-checks close and deadline and fails)
 * </pre>
 * Any other state on entry to a wait (WAIT or a thread) means two tasks wait on the same slot:
 * "double wait", an {@link IllegalStateException}. Because each descriptor is registered once,
 * edge-triggered, an edge that arrives with no waiter is parked in the slot as READY: no wake-up
 * is lost. {@link LockSupport}'s permit covers the race between the commit and the park.
 *
 * <h2>Reference count and close</h2>
 * {@code state} packs a CLOSING bit and the number of operations in progress. Every operation
 * {@link #acquire()}s before its system call and {@link #release()}s after; {@link #close()} sets
 * CLOSING, wakes both waiters, and the last {@code release} runs the close action (deregister and
 * {@code close(2)}). So the descriptor number cannot be reused by the kernel while an operation of
 * ours may still pass it to a system call.
 *
 * <h2>Interrupts</h2>
 * A wait here is not interruptible, as in Go, which has no interrupts: only readiness, a close or a
 * deadline end it. A virtual thread's park returns at once while its interrupt flag is set, so a
 * waiter clears the flag before each park and sets it again when the wait ends: a stale interrupt
 * (a handler that left its task interrupted) neither spins on the carrier nor is lost to code that
 * checks it later. Whoever means to end a wait closes the descriptor ({@code forceClose} closes
 * before it interrupts), and the close wakes the waiter through its slot.
 *
 * <h2>Threads</h2>
 * Slots and {@code state} are changed with CAS from the owning tasks, the poller thread and
 * closers. Deadlines are volatile: written by any thread, read by the waiter and the sweep.
 */
final class PollDesc {

    static final Object READY = new Object() {
        @Override
        public String toString() {
            return "READY";
        }
    };
    static final Object WAIT = new Object() {
        @Override
        public String toString() {
            return "WAIT";
        }
    };

    private static final long CLOSING = 1L << 62;
    private static final VarHandle RG;
    private static final VarHandle WG;
    private static final VarHandle STATE;

    static {
        try {
            var lookup = MethodHandles.lookup();
            RG = lookup.findVarHandle(PollDesc.class, "rg", Object.class);
            WG = lookup.findVarHandle(PollDesc.class, "wg", Object.class);
            STATE = lookup.findVarHandle(PollDesc.class, "state", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Descriptor number; immutable. */
    final int fd;
    /** Registration tag, unique per registration: drops late events after fd reuse. Immutable. */
    final int seq;
    private final PollStats stats;
    private final Runnable closeAction;

    @SuppressWarnings("unused") // through RG
    private volatile Object rg;
    @SuppressWarnings("unused") // through WG
    private volatile Object wg;
    @SuppressWarnings("unused") // through STATE
    private volatile long state;
    private volatile long readDeadline;
    private volatile long writeDeadline;
    /**
     * Set once by the poller when the kernel reports peer hang-up or an error; never cleared.
     * Such an edge can merge with an earlier data edge, so a reader that drained the data must
     * still make one more read to see end of stream or the error.
     */
    private volatile boolean hungUp;

    PollDesc(int fd, int seq, PollStats stats, Runnable closeAction) {
        this.fd = fd;
        this.seq = seq;
        this.stats = stats;
        this.closeAction = closeAction;
    }

    /** Starts an operation; fails if the descriptor is closing. */
    void acquire() throws ConnClosedException {
        for (;;) {
            long s = (long) STATE.getVolatile(this);
            if ((s & CLOSING) != 0) {
                throw new ConnClosedException();
            }
            if (STATE.compareAndSet(this, s, s + 1)) {
                return;
            }
        }
    }

    /** Ends an operation; the last one out after {@link #close()} runs the close action. */
    void release() {
        long s = (long) STATE.getAndAdd(this, -1L) - 1;
        if (s == CLOSING) {
            closeAction.run();
        }
    }

    /**
     * Marks the descriptor closing and wakes both waiters. Returns false if it already was.
     * The close action runs here if no operation is in progress, else in the last release.
     */
    boolean close() {
        for (;;) {
            long s = (long) STATE.getVolatile(this);
            if ((s & CLOSING) != 0) {
                return false;
            }
            // Hold a reference of our own so that the close action cannot run before the wake-ups.
            if (STATE.compareAndSet(this, s, (s | CLOSING) + 1)) {
                break;
            }
        }
        wake(RG, false);
        wake(WG, false);
        release();
        return true;
    }

    boolean isClosing() {
        return ((long) STATE.getVolatile(this) & CLOSING) != 0;
    }

    /**
     * Sets the read deadline. One already passed wakes a waiter at once; a future one is
     * enforced by the poller's sweep, so moving a deadline costs no system call and no timer.
     */
    void setReadDeadline(long deadline) {
        readDeadline = deadline;
        wakeIfPassed(RG, deadline);
    }

    void setWriteDeadline(long deadline) {
        writeDeadline = deadline;
        wakeIfPassed(WG, deadline);
    }

    /**
     * Wakes the slot's waiter if {@code deadline}, just stored, has passed. Only a task that has
     * announced itself in the slot (WAIT or parked) can miss the new deadline: one that has not
     * reads it after its announcement ({@link #block}; the deadline is volatile and the slot moves
     * by CAS, so one of the two sees the other). So the clock is read only when someone waits:
     * a task setting its own deadline before a call, the common case, pays no clock read.
     */
    private void wakeIfPassed(VarHandle slot, long deadline) {
        if (deadline == 0) {
            return;
        }
        Object waiter = slot.getVolatile(this);
        if ((waiter == WAIT || waiter instanceof Thread) && System.nanoTime() - deadline >= 0) {
            wake(slot, false);
        }
    }

    /**
     * Called by the poller's sweep: wakes a parked waiter whose deadline has passed (slot
     * thread -> nil); the waiter then finds the deadline expired and fails with a timeout.
     */
    void expire(long now) {
        long deadline = readDeadline;
        if (deadline != 0 && now - deadline >= 0 && RG.getVolatile(this) instanceof Thread) {
            wake(RG, false);
        }
        deadline = writeDeadline;
        if (deadline != 0 && now - deadline >= 0 && WG.getVolatile(this) instanceof Thread) {
            wake(WG, false);
        }
    }

    /** READ or WRITE if a task is parked in that slot now, else null (a racy reading, for views). */
    WaitReason parkedOn() {
        if (RG.getVolatile(this) instanceof Thread) {
            return WaitReason.READ;
        }
        return WG.getVolatile(this) instanceof Thread ? WaitReason.WRITE : null;
    }

    boolean hungUp() {
        return hungUp;
    }

    /**
     * Called by the poller for one event. Returns how many tasks it made runnable. {@code hangUp}
     * is recorded before the wake-up so that the woken reader sees it.
     */
    int ready(boolean readable, boolean writable, boolean hangUp) {
        if (hangUp && !hungUp) {
            hungUp = true;
        }
        int woken = 0;
        if (readable && wake(RG, true)) {
            woken++;
        }
        if (writable && wake(WG, true)) {
            woken++;
        }
        return woken;
    }

    /** Parks the calling task until the descriptor is readable; throws on close or deadline. */
    void waitRead(WaitReason reason) throws IOException {
        await(RG, reason, true);
    }

    /** Parks the calling task until the descriptor is writable; throws on close or deadline. */
    void waitWrite() throws IOException {
        await(WG, WaitReason.WRITE, false);
    }

    private void await(VarHandle slot, WaitReason reason, boolean read) throws IOException {
        long checked = check(read);
        while (!block(slot, reason, read, checked)) {
            checked = check(read);
        }
    }

    /**
     * Go's netpollcheckerr: closing first, then an expired deadline. Returns the deadline found
     * not yet passed (0 for none), for {@link #block}'s re-check.
     */
    private long check(boolean read) throws IOException {
        if (isClosing()) {
            throw new ConnClosedException();
        }
        long deadline = read ? readDeadline : writeDeadline;
        if (deadline != 0 && System.nanoTime() - deadline >= 0) {
            throw new DeadlineExceededException(read ? "read" : "write");
        }
        return deadline;
    }

    /**
     * The re-check after announcing WAIT. It exists to see a close or a deadline another thread
     * set meanwhile; the deadline {@link #check} found unpassed an instant ago is the sweep's
     * business from here, so the clock is read only for a deadline that changed since.
     */
    private boolean expired(boolean read, long checked) {
        if (isClosing()) {
            return true;
        }
        long deadline = read ? readDeadline : writeDeadline;
        return deadline != checked && deadline != 0 && System.nanoTime() - deadline >= 0;
    }

    /**
     * Go's netpollblock: returns true if readiness was consumed, false if woken for another
     * reason (close, deadline, deadline change), after which the caller re-checks errors.
     */
    private boolean block(VarHandle slot, WaitReason reason, boolean read, long checked) {
        for (;;) {
            Object v = slot.getVolatile(this);
            if (v == READY) {
                if (slot.compareAndSet(this, READY, null)) {
                    return true;
                }
            } else if (v == null) {
                if (slot.compareAndSet(this, null, WAIT)) {
                    break;
                }
            } else {
                throw new IllegalStateException("double wait on fd " + fd + " (" + reason.tag() + ")");
            }
        }
        Thread self = Thread.currentThread();
        // Re-check after announcing WAIT: a close or deadline change that ran before the
        // announcement found no waiter to wake, so we must see its effect here.
        if (!expired(read, checked) && slot.compareAndSet(this, WAIT, self)) {
            stats.parked(reason, 1);
            boolean interrupted = false;
            try {
                // Untimed: a passed deadline is enforced by the poller's sweep (expire), which
                // moves the slot to nil like a close does. See Poller for why not timed parks.
                while (slot.getVolatile(this) == self && !isClosing()) {
                    // Cleared before every park, or the park would return at once (see Interrupts).
                    interrupted |= Thread.interrupted();
                    LockSupport.park(this);
                }
            } finally {
                stats.parked(reason, -1);
                if (interrupted) {
                    self.interrupt();
                }
            }
        }
        Object old = slot.getAndSet(this, null);
        return old == READY;
    }

    /** Go's netpollunblock: sets READY (readiness) or nil (no readiness) and unparks a waiter. */
    private boolean wake(VarHandle slot, boolean ioready) {
        for (;;) {
            Object old = slot.getVolatile(this);
            if (old == READY) {
                return false;
            }
            if (old == null && !ioready) {
                return false;
            }
            if (slot.compareAndSet(this, old, ioready ? READY : null)) {
                if (old instanceof Thread waiter) {
                    LockSupport.unpark(waiter);
                    return true;
                }
                return false;
            }
        }
    }

    /** Epoll user data: the registration tag above the descriptor number. */
    long token() {
        return ((long) seq << 32) | (fd & 0xFFFFFFFFL);
    }
}
