package dev.netpoll.servlet;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One async cycle of a request (Servlet 6.1 chapter 2.3.3.3), without machinery of its own: the
 * connection's task returns from the servlet and parks in {@link #await()} until the application
 * completes or dispatches the request (from any thread), or the timeout passes; a dispatch then
 * runs on that same task as the ASYNC dispatch.
 *
 * <p>States: STARTED -> DISPATCHING | COMPLETING (set by the application through {@link #dispatch}
 * or {@link #complete}) -> consumed by the task. Guarded by {@code lock}; the task waits on
 * {@code decided}.
 */
final class AsyncExchange implements AsyncContext {

    /** What the parked task is to do next. */
    enum Outcome { DISPATCH, COMPLETE, TIMEOUT }

    /** Servlet containers' customary default (Tomcat's asyncTimeout). */
    static final long DEFAULT_TIMEOUT_MILLIS = 30_000;

    private record Registered(AsyncListener listener, ServletRequest request, ServletResponse response) {
    }

    private final ContainerRequest origin;
    private final ServletRequest request;
    private final ServletResponse response;
    private final boolean originalRequestAndResponse;
    private final Consumer<Runnable> taskStarter;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition decided = lock.newCondition();
    private final List<Registered> listeners = new ArrayList<>();
    private Outcome outcome;
    private String dispatchPath;
    private long timeoutMillis = DEFAULT_TIMEOUT_MILLIS;

    AsyncExchange(ContainerRequest origin, ServletRequest request, ServletResponse response,
            boolean originalRequestAndResponse, Consumer<Runnable> taskStarter) {
        this.origin = origin;
        this.request = request;
        this.response = response;
        this.originalRequestAndResponse = originalRequestAndResponse;
        this.taskStarter = taskStarter;
    }

    /** Parks the connection's task until the application decides, or the timeout passes. */
    Outcome await() throws InterruptedException {
        lock.lock();
        try {
            long remaining = timeoutMillis > 0 ? TimeUnit.MILLISECONDS.toNanos(timeoutMillis) : Long.MAX_VALUE;
            while (outcome == null) {
                if (remaining <= 0) {
                    return Outcome.TIMEOUT;
                }
                remaining = timeoutMillis > 0 ? decided.awaitNanos(remaining) : waitForever();
            }
            return outcome;
        } finally {
            lock.unlock();
        }
    }

    private long waitForever() throws InterruptedException {
        decided.await();
        return Long.MAX_VALUE;
    }

    /** After a timeout: whether a listener completed or dispatched. */
    Outcome decidedOutcome() {
        lock.lock();
        try {
            return outcome;
        } finally {
            lock.unlock();
        }
    }

    String dispatchPath() {
        return dispatchPath;
    }

    void fire(String event, Throwable failure) {
        List<Registered> copy;
        lock.lock();
        try {
            copy = List.copyOf(listeners);
        } finally {
            lock.unlock();
        }
        for (Registered registered : copy) {
            var e = new AsyncEvent(this, registered.request(), registered.response(), failure);
            try {
                switch (event) {
                    case "timeout" -> registered.listener().onTimeout(e);
                    case "error" -> registered.listener().onError(e);
                    case "complete" -> registered.listener().onComplete(e);
                    case "start" -> registered.listener().onStartAsync(e);
                    default -> throw new IllegalArgumentException(event);
                }
            } catch (IOException | RuntimeException ex) {
                // As Tomcat: logged, and the other listeners and the container's cycle go on (an
                // escaping exception would skip the error page and onComplete).
                System.getLogger(AsyncExchange.class.getName()).log(System.Logger.Level.WARNING,
                        "async listener failed on " + event, ex);
            }
        }
    }

    private void decide(Outcome value, String path) {
        lock.lock();
        try {
            if (outcome != null) {
                throw new IllegalStateException("the async request was already " + outcome.name().toLowerCase() + "ed");
            }
            outcome = value;
            dispatchPath = path;
            decided.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public ServletRequest getRequest() {
        checkNotOver();
        return request;
    }

    @Override
    public ServletResponse getResponse() {
        checkNotOver();
        return response;
    }

    private void checkNotOver() {
        if (origin.asyncState().isOver()) {
            throw new IllegalStateException("the request of this async context has ended");
        }
    }

    /**
     * The request and response given to startAsync, for the ASYNC dispatch: Servlet 6.1 section
     * 2.3.3.3 dispatches those, wrappers included (Spring passes its filters' wrappers, and a
     * filter such as ShallowEtagHeaderFilter looks for its own on the way back). No liveness check:
     * the connection's task asks after the cycle has ended.
     */
    ServletRequest dispatchRequest() {
        return request;
    }

    ServletResponse dispatchResponse() {
        return response;
    }

    @Override
    public boolean hasOriginalRequestAndResponse() {
        return originalRequestAndResponse;
    }

    @Override
    public void dispatch() {
        String path = origin.getServletPath() + (origin.getPathInfo() == null ? "" : origin.getPathInfo());
        decide(Outcome.DISPATCH, path);
    }

    @Override
    public void dispatch(String path) {
        decide(Outcome.DISPATCH, path);
    }

    @Override
    public void dispatch(ServletContext context, String path) {
        if (context != origin.getServletContext()) {
            throw new IllegalArgumentException("Netpoll serves one context; cannot dispatch to another");
        }
        decide(Outcome.DISPATCH, path);
    }

    @Override
    public void complete() {
        decide(Outcome.COMPLETE, null);
    }

    @Override
    public void start(Runnable run) {
        taskStarter.accept(run);
    }

    @Override
    public void addListener(AsyncListener listener) {
        addListener(listener, request, response);
    }

    @Override
    public void addListener(AsyncListener listener, ServletRequest servletRequest, ServletResponse servletResponse) {
        lock.lock();
        try {
            listeners.add(new Registered(listener, servletRequest, servletResponse));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public <T extends AsyncListener> T createListener(Class<T> type) throws ServletException {
        try {
            return type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new ServletException("cannot instantiate " + type.getName(), e);
        }
    }

    @Override
    public void setTimeout(long timeout) {
        timeoutMillis = timeout;
    }

    @Override
    public long getTimeout() {
        return timeoutMillis;
    }
}
