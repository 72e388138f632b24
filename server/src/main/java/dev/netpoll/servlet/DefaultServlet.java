package dev.netpoll.servlet;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLConnection;

/**
 * The container's default servlet ({@code server.servlet.register-default-servlet}): serves the
 * context's resources (document root, {@code META-INF/resources}) for GET and HEAD with their MIME
 * type, {@code Last-Modified}/{@code If-Modified-Since}, a weak {@code ETag}/{@code If-None-Match}
 * and single byte ranges (206, 416). Directories are not listed (404). Paths were vetted against
 * traversal before any servlet ran.
 */
public final class DefaultServlet extends HttpServlet {

    private static final String ALLOW = "GET, HEAD, OPTIONS";

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String method = request.getMethod();
        if (method.equals("OPTIONS")) {
            response.setHeader("Allow", ALLOW);
            return;
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            response.setHeader("Allow", ALLOW);
            response.sendError(405);
            return;
        }
        String path = path(request);
        URL resource = path.isEmpty() || path.endsWith("/") || isPrivate(path) ? null : getServletContext().getResource(path);
        URLConnection connection = resource == null ? null : resource.openConnection();
        if (connection == null || isDirectory(resource)) {
            response.sendError(404);
            return;
        }
        long length = connection.getContentLengthLong();
        long lastModified = connection.getLastModified() / 1000 * 1000;
        String etag = "W/\"" + length + "-" + lastModified + "\"";
        response.setHeader("ETag", etag);
        response.setHeader("Accept-Ranges", "bytes");
        if (lastModified > 0) {
            response.setDateHeader("Last-Modified", lastModified);
        }
        String type = getServletContext().getMimeType(path);
        response.setContentType(type != null ? type : "application/octet-stream");
        if (notModified(request, etag, lastModified)) {
            response.setStatus(304);
            return;
        }
        long[] range = range(request.getHeader("Range"), length);
        if (range == null) {
            response.setHeader("Content-Range", "bytes */" + length);
            response.sendError(416);
            return;
        }
        long from = range[0];
        long count = range[1] - range[0] + 1;
        if (count != length) {
            response.setStatus(206);
            response.setHeader("Content-Range", "bytes " + range[0] + "-" + range[1] + "/" + length);
        }
        response.setContentLengthLong(count);
        if (method.equals("HEAD")) {
            return;
        }
        try (InputStream in = connection.getInputStream()) {
            in.skipNBytes(from);
            OutputStream out = response.getOutputStream();
            byte[] chunk = new byte[8192];
            for (long left = count; left > 0; ) {
                int n = in.read(chunk, 0, (int) Math.min(chunk.length, left));
                if (n < 0) {
                    break;
                }
                out.write(chunk, 0, n);
                left -= n;
            }
        }
    }

    /**
     * WEB-INF and META-INF are the application's, never the client's (Servlet 6.1 section 10.5):
     * a document root that holds a WEB-INF (classes, web.xml, secrets) must not serve it.
     */
    private static boolean isPrivate(String path) {
        String lower = path.toLowerCase(java.util.Locale.ROOT);
        return lower.startsWith("/web-inf/") || lower.equals("/web-inf") || lower.startsWith("/meta-inf/")
                || lower.equals("/meta-inf");
    }

    private static String path(HttpServletRequest request) {
        Object included = request.getAttribute(RequestDispatcher.INCLUDE_SERVLET_PATH);
        String servletPath = included != null ? (String) included : request.getServletPath();
        String pathInfo = included != null ? (String) request.getAttribute(RequestDispatcher.INCLUDE_PATH_INFO)
                : request.getPathInfo();
        return servletPath + (pathInfo == null ? "" : pathInfo);
    }

    private static boolean isDirectory(URL resource) {
        return "file".equals(resource.getProtocol()) && new java.io.File(resource.getPath()).isDirectory();
    }

    private static boolean notModified(HttpServletRequest request, String etag, long lastModified) {
        String ifNoneMatch = request.getHeader("If-None-Match");
        if (ifNoneMatch != null) {
            // RFC 9110 section 13.1.2: weak comparison; If-Modified-Since is then ignored.
            for (String candidate : ifNoneMatch.split(",")) {
                String tag = candidate.trim();
                if (tag.equals("*") || tag.equals(etag) || ("W/" + tag).equals(etag)) {
                    return true;
                }
            }
            return false;
        }
        try {
            long since = request.getDateHeader("If-Modified-Since");
            return since >= 0 && lastModified > 0 && lastModified <= since;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** {from, to} of a single satisfiable range, the whole for none or several; null if unsatisfiable. */
    static long[] range(String header, long length) {
        long[] whole = {0, length - 1};
        if (header == null || !header.startsWith("bytes=") || header.indexOf(',') >= 0 || length <= 0) {
            return whole;
        }
        String spec = header.substring(6).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return whole;
        }
        try {
            if (dash == 0) {
                long suffix = Long.parseLong(spec.substring(1));
                return suffix <= 0 ? null : new long[] {Math.max(0, length - suffix), length - 1};
            }
            long from = Long.parseLong(spec.substring(0, dash));
            long to = dash == spec.length() - 1 ? length - 1 : Math.min(length - 1, Long.parseLong(spec.substring(dash + 1)));
            return from >= length || to < from ? null : new long[] {from, to};
        } catch (NumberFormatException e) {
            return whole;
        }
    }
}
