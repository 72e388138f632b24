package dev.netpoll.servlet;

import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.MappingMatch;

/**
 * How a request's path was mapped to its servlet (HttpServletRequest.getHttpServletMapping, and
 * the include and forward mapping attributes), read from the mapper's match; immutable.
 */
final class MatchedMapping implements HttpServletMapping {

    private final ServletMapper.Match match;

    MatchedMapping(ServletMapper.Match match) {
        this.match = match;
    }

    @Override
    public String getMatchValue() {
        return match.matchValue();
    }

    @Override
    public String getPattern() {
        return match.pattern();
    }

    @Override
    public String getServletName() {
        return match.servlet().getName();
    }

    @Override
    public MappingMatch getMappingMatch() {
        return match.kind();
    }
}
