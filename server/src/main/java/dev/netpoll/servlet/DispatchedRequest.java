package dev.netpoll.servlet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The request as a forwarded, included or error-page servlet sees it: the paths of the new target
 * (for forward and error) or of the original (for include, with the target in the
 * {@code jakarta.servlet.include.*} attributes), its dispatcher type, and the parameters of a query
 * string on the dispatch path merged in front of the original ones (Servlet 6.1 section 9.1.1).
 */
final class DispatchedRequest extends HttpServletRequestWrapper {

    private final DispatcherType type;
    private final String requestUri;
    private final ServletMapper.Match match;
    private final String queryString;
    private final Map<String, Object> attributes = new HashMap<>();
    private final Map<String, String[]> extraParameters;

    DispatchedRequest(HttpServletRequest request, DispatcherType type, String requestUri, ServletMapper.Match match,
            String queryString) {
        super(request);
        this.type = type;
        this.requestUri = requestUri;
        this.match = match;
        this.queryString = queryString;
        if (queryString == null || queryString.isEmpty()) {
            extraParameters = Map.of();
        } else {
            var parsed = new Parameters();
            parsed.parse(queryString, java.nio.charset.StandardCharsets.UTF_8, false);
            Map<String, String[]> map = new LinkedHashMap<>();
            parsed.asMap().forEach((name, values) -> map.put(name, values.toArray(String[]::new)));
            extraParameters = map;
        }
    }

    /** Sets an attribute seen only through this dispatch (forward/include/error attributes). */
    void setDispatchAttribute(String name, Object value) {
        if (value != null) {
            attributes.put(name, value);
        }
    }

    @Override
    public DispatcherType getDispatcherType() {
        return type;
    }

    private boolean include() {
        return type == DispatcherType.INCLUDE;
    }

    @Override
    public String getRequestURI() {
        return include() ? super.getRequestURI() : requestUri;
    }

    @Override
    public StringBuffer getRequestURL() {
        if (include()) {
            return super.getRequestURL();
        }
        var url = new StringBuffer(getScheme()).append("://").append(getServerName());
        int port = getServerPort();
        if (!(port == 80 && "http".equals(getScheme()) || port == 443 && "https".equals(getScheme()))) {
            url.append(':').append(getServerPort());
        }
        return url.append(requestUri);
    }

    @Override
    public String getServletPath() {
        return include() || match == null ? super.getServletPath() : match.servletPath();
    }

    @Override
    public String getPathInfo() {
        return include() || match == null ? super.getPathInfo() : match.pathInfo();
    }

    @Override
    public String getQueryString() {
        return include() || queryString == null ? super.getQueryString() : queryString;
    }

    @Override
    public HttpServletMapping getHttpServletMapping() {
        return include() || match == null ? super.getHttpServletMapping() : new MatchedMapping(match);
    }

    @Override
    public Object getAttribute(String name) {
        Object value = attributes.get(name);
        return value != null ? value : super.getAttribute(name);
    }

    @Override
    public Enumeration<String> getAttributeNames() {
        List<String> names = new ArrayList<>(attributes.keySet());
        for (Enumeration<String> e = super.getAttributeNames(); e.hasMoreElements(); ) {
            String name = e.nextElement();
            if (!attributes.containsKey(name)) {
                names.add(name);
            }
        }
        return Collections.enumeration(names);
    }

    @Override
    public void removeAttribute(String name) {
        attributes.remove(name);
        super.removeAttribute(name);
    }

    @Override
    public String getParameter(String name) {
        String[] values = extraParameters.get(name);
        return values != null ? values[0] : super.getParameter(name);
    }

    @Override
    public String[] getParameterValues(String name) {
        String[] extra = extraParameters.get(name);
        String[] original = super.getParameterValues(name);
        if (extra == null) {
            return original;
        }
        if (original == null) {
            return extra.clone();
        }
        String[] merged = new String[extra.length + original.length];
        System.arraycopy(extra, 0, merged, 0, extra.length);
        System.arraycopy(original, 0, merged, extra.length, original.length);
        return merged;
    }

    @Override
    public Map<String, String[]> getParameterMap() {
        if (extraParameters.isEmpty()) {
            return super.getParameterMap();
        }
        Map<String, String[]> merged = new LinkedHashMap<>();
        for (String name : extraParameters.keySet()) {
            merged.put(name, getParameterValues(name));
        }
        super.getParameterMap().forEach(merged::putIfAbsent);
        return Collections.unmodifiableMap(merged);
    }

    @Override
    public Enumeration<String> getParameterNames() {
        return Collections.enumeration(getParameterMap().keySet());
    }
}
