package dev.netpoll.servlet;

import dev.netpoll.http.HttpRequest;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The request parameters (Servlet 6.1 section 3.1): the query string's, then a url-encoded form
 * body's unless the application took the body first, or a multipart body's form fields; parsed
 * on first use and fixed from then on. Used by the thread that holds the request (its
 * connection's task, or an application thread during async work), one at a time.
 */
final class RequestParameters {

    /**
     * The largest url-encoded form body parsed into parameters, as Tomcat's maxPostSize: the
     * body is read into memory whole, and Spring Security asks for a parameter (_csrf) on every
     * unauthenticated POST, so without a bound any client could fill the heap. A larger form is
     * answered 413 by the engine; an application that wants one reads the body as a stream.
     */
    static final int MAX_FORM_SIZE = 2 * 1024 * 1024;

    private final HttpRequest http;
    private final RequestBodyAccess body;
    private final RequestParts parts;
    private Map<String, String[]> parameters;
    /**
     * Why the form body could not be parsed, for every later call: the part already read is gone,
     * and parsing the rest as the whole form (after the application caught the first failure)
     * would hand it parameters the client placed past the limit.
     */
    private RuntimeException formFailure;

    RequestParameters(HttpRequest http, RequestBodyAccess body, RequestParts parts) {
        this.http = http;
        this.body = body;
        this.parts = parts;
    }

    /** Whether the parameters were parsed, and with them a form body decoded. */
    boolean isParsed() {
        return parameters != null;
    }

    /** The parameters, unmodifiable, in the order they came. */
    Map<String, String[]> map() {
        if (formFailure != null) {
            throw new IllegalStateException(formFailure.getMessage(), formFailure.getCause());
        }
        if (parameters == null) {
            var parsed = new Parameters();
            parsed.parse(http.query(), body.charset());
            String type = body.contentType();
            if (parts.accepted()) {
                // Servlet 6.1 section 3.2: form fields of a multipart body are parameters too.
                try {
                    for (MultipartPart part : parts.all()) {
                        if (part.getSubmittedFileName() == null) {
                            parsed.add(part.getName(), new String(part.bytes(), body.charset()));
                        }
                    }
                } catch (IOException | ServletException e) {
                    throw new IllegalStateException("could not read the multipart body: " + e.getMessage(), e);
                }
            } else if (type != null && type.regionMatches(true, 0, "application/x-www-form-urlencoded", 0, 33)
                    && !body.isOpened()) {
                try {
                    byte[] form = http.body().readNBytes(MAX_FORM_SIZE + 1);
                    if (form.length > MAX_FORM_SIZE) {
                        throw new dev.netpoll.http.BodyException(413, "form body larger than " + MAX_FORM_SIZE + " bytes");
                    }
                    parsed.parse(new String(form, StandardCharsets.ISO_8859_1), body.charset());
                } catch (IOException e) {
                    formFailure = new IllegalStateException("could not read the form body: " + e.getMessage(), e);
                    throw formFailure;
                }
            }
            Map<String, String[]> map = new LinkedHashMap<>();
            parsed.asMap().forEach((name, values) -> map.put(name, values.toArray(String[]::new)));
            parameters = Collections.unmodifiableMap(map);
        }
        return parameters;
    }

    String first(String name) {
        String[] values = map().get(name);
        return values == null ? null : values[0];
    }

    /** A copy of the values, so the caller cannot change the parameters. */
    String[] values(String name) {
        String[] values = map().get(name);
        return values == null ? null : values.clone();
    }
}
