package dev.netpoll.servlet;

import dev.netpoll.http.HttpRequest;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The parts of a multipart/form-data body (Servlet 6.1 section 3.2), parsed on first use under
 * the target servlet's multipart configuration and deleted when the exchange ends. Used by the
 * thread that holds the request (its connection's task, or an application thread during async
 * work), one at a time; the fields are plain.
 */
final class RequestParts {

    private final HttpRequest http;
    private final ServletEntry servlet;
    private final RequestBodyAccess body;
    private List<MultipartPart> parts;

    RequestParts(HttpRequest http, ServletEntry servlet, RequestBodyAccess body) {
        this.http = http;
        this.servlet = servlet;
        this.body = body;
    }

    static boolean isMultipartForm(String type) {
        return type != null && type.regionMatches(true, 0, "multipart/form-data", 0, 19);
    }

    /** Whether the body is a multipart form that the target servlet is configured to take apart. */
    boolean accepted() {
        return isMultipartForm(body.contentType()) && servlet.multipartConfig() != null;
    }

    /** The parts, parsed from the body on the first call. */
    List<MultipartPart> all() throws IOException, ServletException {
        if (parts == null) {
            String type = body.contentType();
            if (!isMultipartForm(type)) {
                throw new ServletException("not a multipart/form-data request (Content-Type: " + type + ")");
            }
            MultipartConfigElement config = servlet.multipartConfig();
            if (config == null) {
                throw new IllegalStateException("servlet '" + servlet.getName()
                        + "' has no multipart configuration (MultipartConfigElement)");
            }
            String boundary = MultipartParser.boundary(type);
            if (boundary == null) {
                throw new ServletException("multipart request without a valid boundary parameter");
            }
            if (body.isOpened()) {
                throw new IllegalStateException("the request body was already read through getInputStream or getReader");
            }
            parts = new MultipartParser(http.body(), boundary, config, location(config)).parse();
        }
        return parts;
    }

    /** The configured location, relative ones under the temporary directory's netpoll-multipart. */
    private static Path location(MultipartConfigElement config) {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"), "netpoll-multipart");
        String configured = config.getLocation();
        return configured == null || configured.isEmpty() ? tmp
                : Path.of(configured).isAbsolute() ? Path.of(configured) : tmp.resolve(configured);
    }

    /** The first part called {@code name}, or null. */
    MultipartPart named(String name) throws IOException, ServletException {
        for (MultipartPart part : all()) {
            if (part.getName().equals(name)) {
                return part;
            }
        }
        return null;
    }

    /** Deletes the temporary files of uploaded parts; the request is over. */
    void delete() {
        if (parts != null) {
            for (MultipartPart part : parts) {
                try {
                    part.delete();
                } catch (IOException e) {
                    System.getLogger(ContainerRequest.class.getName()).log(System.Logger.Level.WARNING,
                            "could not delete an uploaded part: " + e.getMessage());
                }
            }
        }
    }
}
