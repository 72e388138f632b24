package dev.netpoll.autoconfigure.actuate;

import dev.netpoll.http.ConnState;
import dev.netpoll.http.HttpConnection;
import dev.netpoll.http.HttpServer;
import dev.netpoll.poll.WaitReason;
import dev.netpoll.runtime.AcceptLoop;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One live task of a server as the goroutine dump shows it, like a goroutine in Go's
 * {@code /debug/pprof/goroutine?debug=2}: its wait state, how long it has been there, the
 * connection and request it serves, and its stack.
 *
 * <p>The reading is not atomic: a task may move on between its state and its stack being read,
 * so a stack can disagree with its state for a task that is busy. A stuck task, the one a dump is
 * for, does not move.
 *
 * @param id         the task's thread id (Go's goroutine id)
 * @param name       the task's thread name, such as {@code netpoll-conn-17}
 * @param state      what it waits for: {@code parked in read}, {@code parked in write},
 *                   {@code parked in accept}, {@code parked at the connection limit},
 *                   {@code parked elsewhere}, {@code blocked on a monitor}, {@code running}
 * @param phase      for a connection's task, {@code idle} (waiting for a request) or
 *                   {@code in request}; null for other tasks
 * @param inPhase    how long the connection has been idle or in its request; null when unknown
 * @param connection remote address, age and request count of the connection; null for other tasks
 * @param request    the request line being served, or null
 * @param stack      the task's stack, innermost frame first
 */
record GoroutineSnapshot(long id, String name, String state, @Nullable String phase, @Nullable Duration inPhase,
        @Nullable String connection, @Nullable String request, List<StackTraceElement> stack) {

    /** Reads every live task of {@code server}. */
    static List<GoroutineSnapshot> capture(HttpServer server) {
        long now = System.nanoTime();
        Map<Thread, HttpConnection> byTask = new HashMap<>();
        for (HttpConnection connection : server.connections()) {
            Thread task = connection.task();
            if (task != null) {
                byTask.put(task, connection);
            }
        }
        Map<Thread, AcceptLoop> acceptTasks = new HashMap<>();
        for (AcceptLoop loop : server.acceptLoops()) {
            Thread task = loop.task();
            if (task != null) {
                acceptTasks.put(task, loop);
            }
        }
        List<GoroutineSnapshot> snapshots = new ArrayList<>();
        for (Thread task : server.tasks()) {
            HttpConnection connection = byTask.get(task);
            AcceptLoop acceptLoop = acceptTasks.get(task);
            if (connection != null) {
                snapshots.add(ofConnection(task, connection, now));
            } else if (acceptLoop != null) {
                String state = acceptLoop.pausedAtLimit() ? "parked at the connection limit"
                        : parked(task) ? "parked in accept" : threadState(task);
                snapshots.add(new GoroutineSnapshot(task.threadId(), task.getName(), state, null, null, null, null,
                        List.of(task.getStackTrace())));
            } else {
                snapshots.add(new GoroutineSnapshot(task.threadId(), task.getName(), threadState(task), null, null, null,
                        null, List.of(task.getStackTrace())));
            }
        }
        return snapshots;
    }

    private static GoroutineSnapshot ofConnection(Thread task, HttpConnection connection, long now) {
        // The wait slot first, then the stack: a task parked on its socket shows the poller frames.
        WaitReason parkedOn = connection.conn().parkedOn();
        List<StackTraceElement> stack = List.of(task.getStackTrace());
        String state = parkedOn == WaitReason.READ ? "parked in read"
                : parkedOn == WaitReason.WRITE ? "parked in write"
                : threadState(task);
        ConnState connState = connection.state();
        String phase = connState == ConnState.ACTIVE ? "in request"
                : connState == ConnState.NEW || connState == ConnState.IDLE ? "idle" : connState.name().toLowerCase(Locale.ROOT);
        InetSocketAddress remote = connection.conn().remoteAddress();
        String address = remote == null ? "?" : remote.getAddress().getHostAddress() + ":" + remote.getPort();
        long openMillis = System.currentTimeMillis() - connection.openedAtMillis();
        String described = address + " (open " + GoroutineProfile.format(Duration.ofMillis(openMillis)) + ", "
                + connection.requests() + (connection.requests() == 1 ? " request)" : " requests)");
        return new GoroutineSnapshot(task.threadId(), task.getName(), state, phase,
                Duration.ofNanos(Math.max(0, now - connection.stateSinceNanos())), described,
                connState == ConnState.ACTIVE ? connection.currentRequest() : null, stack);
    }

    private static boolean parked(Thread task) {
        Thread.State s = task.getState();
        return s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING;
    }

    /** A task not parked on its socket: the JDK's view of it. */
    private static String threadState(Thread task) {
        return switch (task.getState()) {
            case NEW -> "starting";
            case RUNNABLE -> "running";
            case BLOCKED -> "blocked on a monitor";
            case WAITING, TIMED_WAITING -> "parked elsewhere";
            case TERMINATED -> "ended";
        };
    }
}
