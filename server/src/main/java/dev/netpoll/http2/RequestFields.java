package dev.netpoll.http2;

import dev.netpoll.http.HttpHeaders;

/**
 * Checks a request's decoded header fields against RFC 9113 section 8.2 and 8.3 as they come
 * out of the decoder, and keeps the pseudo-header fields apart from the regular ones. The first
 * violation is kept as {@link #malformed}: the request is malformed, a stream error of type
 * PROTOCOL_ERROR (section 8.1.1); later fields are still decoded (the HPACK state must stay in
 * step) but ignored. One per header block, on the connection's reading task.
 */
final class RequestFields implements HpackDecoder.FieldSink {

    private final boolean trailers;
    final HttpHeaders headers = new HttpHeaders();
    String method;
    String scheme;
    String path;
    String authority;
    /** The content-length field, or -1. */
    long contentLength = -1;
    boolean expectContinue;
    String malformed;
    private boolean regularSeen;
    private StringBuilder cookies;

    /** {@code trailers}: a trailer section, where no pseudo-header field may appear (section 8.1). */
    RequestFields(boolean trailers) {
        this.trailers = trailers;
    }

    /** Section 8.2.2: fields that only mean something to one HTTP/1.1 connection. */
    static boolean isConnectionSpecific(String lowerName) {
        return switch (lowerName) {
            case "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade" -> true;
            default -> false;
        };
    }

    @Override
    public void field(String name, String value) {
        if (malformed != null) {
            return;
        }
        if (name.isEmpty()) {
            malformed = "empty field name";
            return;
        }
        if (name.charAt(0) == ':') {
            pseudo(name, value);
            return;
        }
        regularSeen = true;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                malformed = "field name '" + name + "' has upper case (section 8.2.1)";
                return;
            }
            if (c <= ' ' || c >= 0x7F || c == ':') {
                malformed = "field name '" + name + "' has a character that is not allowed (section 8.2.1)";
                return;
            }
        }
        if (!validValue(value)) {
            malformed = "field '" + name + "' has a value with CR, LF, NUL or surrounding white space (section 8.2.1)";
            return;
        }
        if (isConnectionSpecific(name)) {
            malformed = "connection-specific field '" + name + "' (section 8.2.2)";
            return;
        }
        if (name.equals("te") && !value.equals("trailers")) {
            malformed = "TE other than 'trailers' (section 8.2.2)";
            return;
        }
        if (name.equals("content-length")) {
            long length = parseLength(value);
            if (length < 0 || (contentLength >= 0 && length != contentLength)) {
                malformed = "invalid content-length '" + value + "'";
                return;
            }
            contentLength = length;
        }
        if (name.equals("expect") && value.equalsIgnoreCase("100-continue")) {
            expectContinue = true;
        }
        if (name.equals("cookie")) {
            // Section 8.2.3: cookie crumbs may arrive as separate fields; HTTP/1.1 semantics
            // (and the servlet layer) expect one field joined with "; ".
            if (cookies == null) {
                cookies = new StringBuilder(value);
            } else {
                cookies.append("; ").append(value);
            }
            return;
        }
        headers.add(name, value);
    }

    private void pseudo(String name, String value) {
        if (trailers) {
            malformed = "pseudo-header field " + name + " in trailers (section 8.1)";
            return;
        }
        if (regularSeen) {
            malformed = "pseudo-header field " + name + " after a regular field (section 8.3)";
            return;
        }
        switch (name) {
            case ":method" -> method = once(name, method, value);
            case ":scheme" -> scheme = once(name, scheme, value);
            case ":path" -> path = once(name, path, value);
            case ":authority" -> authority = once(name, authority, value);
            default -> malformed = "unknown or response pseudo-header field " + name + " (section 8.3)";
        }
    }

    private String once(String name, String previous, String value) {
        if (previous != null) {
            malformed = "pseudo-header field " + name + " repeated (section 8.3.1)";
        }
        return value;
    }

    /** After the block: the pseudo-header fields a request needs (section 8.3.1). */
    void complete() {
        if (cookies != null) {
            headers.add("cookie", cookies.toString());
        }
        if (malformed != null || trailers) {
            return;
        }
        if (method == null) {
            malformed = "no :method (section 8.3.1)";
        } else if (method.equals("CONNECT")) {
            if (authority == null || scheme != null || path != null) {
                malformed = "CONNECT needs :authority and no :scheme or :path (section 8.5)";
            }
        } else if (scheme == null || path == null) {
            malformed = "no :scheme or :path (section 8.3.1)";
        } else if (path.isEmpty()) {
            malformed = "empty :path (section 8.3.1)";
        } else if (!path.startsWith("/") && !(path.equals("*") && method.equals("OPTIONS"))) {
            malformed = ":path is neither origin-form nor '*' (section 8.3.1)";
        }
        if (malformed == null && authority != null) {
            // Section 8.3.1: a Host naming another entity than :authority is malformed (the SHOULD
            // we follow), so that the application, which reads the host from Host, sees the same
            // authority the client's TLS and routing used.
            for (int i = 0; i < headers.size(); i++) {
                if (headers.name(i).equals("host") && !headers.value(i).equalsIgnoreCase(authority)) {
                    malformed = "host '" + headers.value(i) + "' differs from :authority '" + authority + "' (section 8.3.1)";
                    return;
                }
            }
            if (!headers.contains("host")) {
                // HTTP/1.1 semantics: the servlet layer reads the host from Host.
                headers.add("host", authority);
            }
        }
    }

    private static boolean validValue(String value) {
        int n = value.length();
        if (n > 0 && (isBlank(value.charAt(0)) || isBlank(value.charAt(n - 1)))) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    private static long parseLength(String value) {
        if (value.isEmpty() || value.length() > 18) {
            return -1;
        }
        long n = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }
}
