package dev.netpoll.servlet;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;
import java.util.List;

/** One pass through the filters of a dispatch, ending in the servlet. Single use, one task. */
final class FilterChainCall implements FilterChain {

    private final List<Filter> filters;
    private final Servlet servlet;
    private int next;

    FilterChainCall(List<Filter> filters, Servlet servlet) {
        this.filters = filters;
        this.servlet = servlet;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response) throws IOException, ServletException {
        if (next < filters.size()) {
            filters.get(next++).doFilter(request, response, this);
        } else {
            servlet.service(request, response);
        }
    }
}
