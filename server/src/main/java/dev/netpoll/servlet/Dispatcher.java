package dev.netpoll.servlet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Forwards to or includes a path (or a named servlet) within the context, running the filters
 * mapped for the FORWARD or INCLUDE dispatcher type (Servlet 6.1 chapter 9).
 */
final class Dispatcher implements RequestDispatcher {

    private final NetpollServletContext context;
    private final String pathWithQuery;
    private final ServletEntry named;

    Dispatcher(NetpollServletContext context, String pathWithQuery, ServletEntry named) {
        this.context = context;
        this.pathWithQuery = pathWithQuery;
        this.named = named;
    }

    @Override
    public void forward(ServletRequest request, ServletResponse response) throws ServletException, IOException {
        if (response.isCommitted()) {
            throw new IllegalStateException("cannot forward after the response was committed");
        }
        response.resetBuffer();
        var http = (HttpServletRequest) request;
        DispatchedRequest dispatched;
        if (named != null) {
            dispatched = new DispatchedRequest(http, DispatcherType.FORWARD, http.getRequestURI(), null, null);
            run(dispatched, response, DispatcherType.FORWARD, http.getServletPath(), named);
        } else {
            Target target = target();
            dispatched = new DispatchedRequest(http, DispatcherType.FORWARD,
                    context.getContextPath() + target.path, target.match, target.query);
            if (http.getAttribute(FORWARD_REQUEST_URI) == null) {
                dispatched.setDispatchAttribute(FORWARD_REQUEST_URI, http.getRequestURI());
                dispatched.setDispatchAttribute(FORWARD_CONTEXT_PATH, http.getContextPath());
                dispatched.setDispatchAttribute(FORWARD_SERVLET_PATH, http.getServletPath());
                dispatched.setDispatchAttribute(FORWARD_PATH_INFO, http.getPathInfo());
                dispatched.setDispatchAttribute(FORWARD_QUERY_STRING, http.getQueryString());
                dispatched.setDispatchAttribute(FORWARD_MAPPING, http.getHttpServletMapping());
            }
            run(dispatched, response, DispatcherType.FORWARD, target.path, target.match.servlet());
        }
        // Servlet 6.1 section 9.4: the forwarded response is complete when forward returns.
        if (response instanceof ContainerResponse container) {
            container.finishWriting();
        }
    }

    @Override
    public void include(ServletRequest request, ServletResponse response) throws ServletException, IOException {
        var http = (HttpServletRequest) request;
        var included = new IncludedResponse((HttpServletResponse) response);
        if (named != null) {
            var dispatched = new DispatchedRequest(http, DispatcherType.INCLUDE, http.getRequestURI(), null, null);
            run(dispatched, included, DispatcherType.INCLUDE, http.getServletPath(), named);
            return;
        }
        Target target = target();
        var dispatched = new DispatchedRequest(http, DispatcherType.INCLUDE, http.getRequestURI(), target.match, target.query);
        dispatched.setDispatchAttribute(INCLUDE_REQUEST_URI, context.getContextPath() + target.path);
        dispatched.setDispatchAttribute(INCLUDE_CONTEXT_PATH, context.getContextPath());
        dispatched.setDispatchAttribute(INCLUDE_SERVLET_PATH, target.match.servletPath());
        dispatched.setDispatchAttribute(INCLUDE_PATH_INFO, target.match.pathInfo());
        dispatched.setDispatchAttribute(INCLUDE_QUERY_STRING, target.query);
        dispatched.setDispatchAttribute(INCLUDE_MAPPING, new MatchedMapping(target.match));
        run(dispatched, included, DispatcherType.INCLUDE, target.path, target.match.servlet());
    }

    private record Target(String path, String query, ServletMapper.Match match) {
    }

    private Target target() throws ServletException {
        int question = pathWithQuery.indexOf('?');
        String path = question < 0 ? pathWithQuery : pathWithQuery.substring(0, question);
        String query = question < 0 ? null : pathWithQuery.substring(question + 1);
        ServletMapper.Match match = context.mapper().match(path);
        if (match == null) {
            throw new ServletException("no servlet is mapped to " + path);
        }
        return new Target(path, query, match);
    }

    private void run(ServletRequest request, ServletResponse response, DispatcherType type, String path,
            ServletEntry servlet) throws ServletException, IOException {
        var chain = new FilterChainCall(context.registrations().chainFor(type, path, servlet).filters(), servlet.servlet());
        chain.doFilter(request, response);
    }
}
