package dev.netpoll.servlet;

import dev.netpoll.http.ClientAbortException;
import dev.netpoll.http.HttpException;
import dev.netpoll.http.HttpHandler;
import dev.netpoll.http.HttpRequest;
import dev.netpoll.http.HttpResponse;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequestEvent;
import jakarta.servlet.ServletRequestListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Serves one HTTP request through the servlet context: vets and decodes the path, strips the
 * context path, maps the servlet, runs the REQUEST filter chain, and turns an exception or a
 * {@code sendError} into an ERROR dispatch to the matching error page with the
 * {@code jakarta.servlet.error.*} attributes (Servlet 6.1 section 10.9), so that Spring Boot's
 * error controller answers as it does on Tomcat.
 *
 * <p>Runs on the connection's task; holds no per-request state itself.
 */
public final class ServletHandler implements HttpHandler {

    private static final System.Logger LOG = System.getLogger(ServletHandler.class.getName());

    private final NetpollServletContext context;
    private volatile Consumer<Runnable> taskStarter = run -> Thread.ofVirtual().name("netpoll-async").start(run);

    public ServletHandler(NetpollServletContext context) {
        this.context = context;
    }

    /** How {@code AsyncContext.start} runs work: as a counted task of the server. */
    public void startTasksWith(Consumer<Runnable> starter) {
        this.taskStarter = starter;
    }

    @Override
    public void handle(HttpRequest http, HttpResponse response) throws Exception {
        String rawPath = http.path();
        String decoded;
        try {
            decoded = "*".equals(http.target()) ? "*" : RequestPath.decode(rawPath);
        } catch (HttpException e) {
            response.statusPage(e.status(), e.getMessage());
            return;
        }
        if ("TRACE".equals(http.method())) {
            // As Tomcat with allowTrace=false (its default): TRACE echoes request headers, cookies
            // included, back to whoever can make the browser send it (cross-site tracing).
            response.header("Allow", "GET, HEAD, POST, PUT, DELETE, OPTIONS, PATCH");
            response.statusPage(405, "TRACE is disabled");
            return;
        }
        String contextPath = context.getContextPath();
        if (decoded.equals("*")) {
            response.status(200).header("Allow", "GET, HEAD, POST, PUT, DELETE, OPTIONS, PATCH");
            return;
        }
        if (!contextPath.isEmpty()) {
            if (decoded.equals(contextPath)) {
                response.status(302).header("Location", contextPath + "/" + (http.query() == null ? "" : "?" + http.query()));
                return;
            }
            if (!decoded.startsWith(contextPath + "/")) {
                response.statusPage(404, null);
                return;
            }
        }
        String path = decoded.substring(contextPath.length());
        ServletMapper.Match match = context.mapper().match(path);
        if (match == null) {
            response.statusPage(404, null);
            return;
        }
        // getRequestURI is the path as sent: still percent-encoded, without the query.
        var request = new ContainerRequest(http, context, rawPath, match);
        var servletResponse = new ContainerResponse(response, request, context.getResponseCharacterEncoding());
        request.bind(servletResponse, taskStarter);
        var event = new ServletRequestEvent(context, request);
        for (ServletRequestListener listener : context.requestListeners()) {
            listener.requestInitialized(event);
        }
        try {
            serve(request, servletResponse, path, match);
        } finally {
            request.deleteParts();
            for (ServletRequestListener listener : context.requestListeners()) {
                listener.requestDestroyed(event);
            }
            request.asyncState().over();
        }
    }

    private void serve(ContainerRequest request, ContainerResponse response, String path, ServletMapper.Match match)
            throws Exception {
        Throwable failure = dispatch(request, request, response, DispatcherType.REQUEST, path, match);
        // An async cycle that ended in a failure: its listeners hear onComplete after the error page.
        AsyncExchange failedCycle = null;
        // The async cycle: the task parks until the application completes or dispatches.
        for (;;) {
            if (failure != null && request.isAsyncStarted()) {
                // Servlet 6.1 section 2.3.3.3: the dispatch started async, then threw. The
                // listeners hear onError first and may complete or dispatch (Spring's
                // WebAsyncManager dispatches to render the exception); if none does, the error
                // page follows, then onComplete.
                AsyncExchange started = request.asyncState().exchange();
                started.fire("error", failure);
                if (started.decidedOutcome() == null) {
                    request.asyncState().end();
                    failedCycle = started;
                    break;
                }
                failure = null;
            }
            if (failure != null || !request.isAsyncStarted()) {
                break;
            }
            AsyncExchange async = request.asyncState().exchange();
            AsyncExchange.Outcome outcome;
            try {
                outcome = async.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while the request was async (server closing)", e);
            }
            if (outcome == AsyncExchange.Outcome.TIMEOUT) {
                async.fire("timeout", null);
                outcome = async.decidedOutcome();
                if (outcome == null) {
                    // Servlet 6.1 section 2.3.3.3: no listener handled the timeout.
                    request.asyncState().end();
                    if (!response.isCommitted()) {
                        response.http().reset();
                        errorPage(request, response, 500, "async request timed out", null, match);
                    }
                    async.fire("complete", null);
                    break;
                }
            }
            request.asyncState().end();
            if (outcome == AsyncExchange.Outcome.COMPLETE) {
                async.fire("complete", null);
                break;
            }
            String target = async.dispatchPath();
            ServletMapper.Match asyncMatch = context.mapper().match(target);
            if (asyncMatch == null) {
                failure = new ServletException("no servlet is mapped to the async dispatch path " + target);
            } else {
                var given = async.dispatchRequest() instanceof jakarta.servlet.http.HttpServletRequest wrapped ? wrapped : request;
                var dispatched = new DispatchedRequest(given, DispatcherType.ASYNC, context.getContextPath() + target,
                        asyncMatch, null);
                failure = dispatch(request, dispatched, async.dispatchResponse(), DispatcherType.ASYNC, target, asyncMatch);
            }
            if (failure != null) {
                if (!request.isAsyncStarted()) {
                    async.fire("error", failure);
                    failedCycle = async;
                } // else the top of the loop tells the cycle that dispatch started
            } else if (!request.isAsyncStarted()) {
                async.fire("complete", null);
            }
        }
        try {
            answer(request, response, failure, match);
        } finally {
            if (failedCycle != null) {
                failedCycle.fire("complete", null);
            }
        }
    }

    /** Ends the exchange after its dispatches: the error page for a failure or sendError, then the rest of the body. */
    private void answer(ContainerRequest request, ContainerResponse response, Throwable failure, ServletMapper.Match match)
            throws Exception {
        if (failure != null) {
            Throwable cause = rootCause(failure);
            dev.netpoll.http.BodyException body = bodyFailure(failure);
            if (body != null) {
                throw body; // the engine answers 400/408/413 and closes
            }
            if (ClientAbortException.causedBy(failure)) {
                // Nobody is left to read an error page; the engine ends the stream or connection.
                LOG.log(System.Logger.Level.DEBUG, () -> "client went away during " + request.getMethod() + " "
                        + request.getRequestURI() + ": " + cause);
                throw failure instanceof Exception e ? e : new ServletException(failure);
            }
            LOG.log(System.Logger.Level.ERROR, "servlet " + match.servlet().getName() + " failed on "
                    + request.getMethod() + " " + request.getRequestURI(), cause);
            if (response.isCommitted()) {
                throw failure instanceof Exception e ? e : new ServletException(failure);
            }
            response.http().reset();
            errorPage(request, response, 500, cause.getMessage(), cause, match);
        } else if (response.errorStatus() >= 0) {
            errorPage(request, response, response.errorStatus(), response.errorMessage(), null, match);
        }
        response.finishWriting();
    }

    /** Runs one dispatch's filter chain and servlet; returns what it threw, or null. */
    private Throwable dispatch(ContainerRequest origin, jakarta.servlet.http.HttpServletRequest request,
            jakarta.servlet.ServletResponse response, DispatcherType type, String path, ServletMapper.Match match) {
        try {
            Registrations.Chain filters = context.registrations().chainFor(type, path, match.servlet());
            origin.asyncState().setSupported(filters.asyncSupported());
            var chain = new FilterChainCall(filters.filters(), match.servlet().servlet());
            origin.asyncState().enterService();
            try {
                chain.doFilter(request, response);
            } finally {
                origin.asyncState().leaveService();
            }
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    /**
     * A request body that could not be read (malformed, too large, stalled) anywhere in the causes:
     * the application may have wrapped it (getParameter cannot throw IOException, an application
     * rethrows as UncheckedIOException), and it is still the client's fault, not a 500.
     */
    private static dev.netpoll.http.BodyException bodyFailure(Throwable failure) {
        // ServletException's root cause is its cause, so the cause chain covers it; bounded, as a
        // chain may loop back on itself.
        Throwable t = failure;
        for (int depth = 0; t != null && depth < 32; depth++, t = t.getCause()) {
            if (t instanceof dev.netpoll.http.BodyException body) {
                return body;
            }
        }
        return null;
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof ServletException servlet && servlet.getRootCause() != null && servlet.getRootCause() != cause) {
            cause = servlet.getRootCause();
        }
        return cause;
    }

    private void errorPage(ContainerRequest request, ContainerResponse response, int status, String message,
            Throwable failure, ServletMapper.Match original) throws IOException {
        String page = failure != null ? context.errorPages().forException(failure) : context.errorPages().forStatus(status);
        request.setAttribute(RequestDispatcher.ERROR_STATUS_CODE, status);
        request.setAttribute(RequestDispatcher.ERROR_MESSAGE, message == null ? "" : message);
        request.setAttribute(RequestDispatcher.ERROR_REQUEST_URI, request.getRequestURI());
        request.setAttribute(RequestDispatcher.ERROR_SERVLET_NAME, original.servlet().getName());
        request.setAttribute(RequestDispatcher.ERROR_METHOD, request.getMethod());
        request.setAttribute(RequestDispatcher.ERROR_QUERY_STRING, request.getQueryString());
        if (failure != null) {
            request.setAttribute(RequestDispatcher.ERROR_EXCEPTION, failure);
            request.setAttribute(RequestDispatcher.ERROR_EXCEPTION_TYPE, failure.getClass());
        }
        response.resumeForErrorPage();
        response.http().status(status);
        ServletMapper.Match match = page == null ? null : context.mapper().match(page);
        if (match != null) {
            try {
                var dispatched = new DispatchedRequest(request, DispatcherType.ERROR, context.getContextPath() + page,
                        match, null);
                var chain = new FilterChainCall(
                        context.registrations().chainFor(DispatcherType.ERROR, page, match.servlet()).filters(),
                        match.servlet().servlet());
                chain.doFilter(dispatched, response);
                return;
            } catch (Throwable t) {
                LOG.log(System.Logger.Level.ERROR, "error page " + page + " failed", t);
                if (response.isCommitted()) {
                    return;
                }
                response.http().reset();
                response.http().status(status);
            }
        }
        byte[] body = ("<!doctype html><html><head><title>HTTP Status " + status + "</title></head><body><h1>HTTP Status "
                + status + "</h1></body></html>").getBytes(StandardCharsets.UTF_8);
        response.http().header("Content-Type", "text/html;charset=utf-8");
        response.http().body().write(body);
    }
}
