package dev.netpoll.servlet;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * A request's async state (Servlet 6.1 section 2.3.3.3): whether the dispatch may start async,
 * the current {@link AsyncExchange}, whether the exchange is over, and the read and write
 * listener tasks held back until {@code service()} returns. Touched by the connection's task and
 * by application threads: the async fields are volatile, the service fields are guarded by
 * {@code serviceLock}, and the task starter is set before the first dispatch.
 */
final class RequestAsyncState {

    private final ContainerRequest origin;
    private final ServletEntry servlet;
    // The exchange itself is locked; these fields are volatile.
    private volatile AsyncExchange async;
    private volatile boolean asyncStarted;
    private volatile boolean asyncSupported;
    // Written once by the connection's task when the exchange ends; read by application threads.
    private volatile boolean over;
    private final ReentrantLock serviceLock = new ReentrantLock();
    private boolean inService;
    private List<Runnable> deferred;
    private Consumer<Runnable> taskStarter = r -> Thread.ofVirtual().name("netpoll-async").start(r);

    RequestAsyncState(ContainerRequest origin, ServletEntry servlet) {
        this.origin = origin;
        this.servlet = servlet;
    }

    /** How the server starts tasks; set by the connection's task before the first dispatch. */
    void bind(Consumer<Runnable> starter) {
        this.taskStarter = starter;
    }

    /** Runs {@code work} as a task of the server (for async work and I/O listeners). */
    void startTask(Runnable work) {
        taskStarter.accept(work);
    }

    /** Whether the servlet and every filter of the current dispatch support async. */
    void setSupported(boolean supported) {
        asyncSupported = supported;
    }

    boolean isSupported() {
        return asyncSupported;
    }

    boolean isStarted() {
        return asyncStarted;
    }

    AsyncExchange exchange() {
        return async;
    }

    /** The connection's task takes over: the request is no longer in async-started state. */
    void end() {
        asyncStarted = false;
    }

    /** The exchange has ended: every async context of this request fails from now on. */
    void over() {
        over = true;
    }

    boolean isOver() {
        return over;
    }

    /** ServletRequest.startAsync: a new cycle, whose predecessor's listeners hear onStartAsync. */
    AsyncContext start(ServletRequest servletRequest, ServletResponse servletResponse, boolean original) {
        if (!asyncSupported) {
            throw new IllegalStateException("async is not supported by servlet '" + servlet.getName()
                    + "' or one of the filters of this request (register them with asyncSupported=true)");
        }
        if (asyncStarted) {
            throw new IllegalStateException("startAsync was already called for this dispatch");
        }
        AsyncExchange previous = async;
        var exchange = new AsyncExchange(origin, servletRequest, servletResponse, original, taskStarter);
        async = exchange;
        asyncStarted = true;
        if (previous != null) {
            // Servlet 6.1 section 2.3.3.3: listeners of the last cycle hear onStartAsync and may
            // register again.
            previous.fire("start", null);
        }
        return exchange;
    }

    /** ServletRequest.getAsyncContext: the current cycle's context, if async has started. */
    AsyncContext context() {
        AsyncExchange exchange = async;
        if (exchange == null || !asyncStarted) {
            throw new IllegalStateException("no async context: the request is not in async mode");
        }
        return exchange;
    }

    /**
     * Runs a read or write listener's work as a task, but not before {@code service()} has
     * returned (Servlet 6.1 section 5.3): set during the dispatch, it waits in {@code deferred}
     * until {@link #leaveService()}. {@code inService} and {@code deferred} are guarded by
     * {@code serviceLock}: the application may set a listener from any thread.
     */
    void startListenerTask(Runnable work) {
        serviceLock.lock();
        try {
            if (inService) {
                if (deferred == null) {
                    deferred = new ArrayList<>(2);
                }
                deferred.add(work);
                return;
            }
        } finally {
            serviceLock.unlock();
        }
        startTask(work);
    }

    /** The container is about to call the filter chain and servlet of a dispatch. */
    void enterService() {
        serviceLock.lock();
        try {
            inService = true;
        } finally {
            serviceLock.unlock();
        }
    }

    /** The dispatch returned: listeners set during it start now. */
    void leaveService() {
        List<Runnable> start;
        serviceLock.lock();
        try {
            inService = false;
            start = deferred;
            deferred = null;
        } finally {
            serviceLock.unlock();
        }
        if (start != null) {
            start.forEach(this::startTask);
        }
    }
}
