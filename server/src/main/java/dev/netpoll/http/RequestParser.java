package dev.netpoll.http;

import java.nio.charset.StandardCharsets;

/**
 * Parses a complete request head (request line through the empty line) per RFC 9112, strictly:
 * whatever two parsers could read differently is refused, because a proxy in front of us may read
 * it the other way (request smuggling). Every refusal is an {@link HttpException} whose status the
 * connection sends before closing.
 *
 * <p>Lines end in CRLF; a bare CR or bare LF is refused (RFC 9112 section 2.2 lets a server accept
 * a bare LF, and we choose not to). Empty lines before the request line are skipped (section 2.2).
 * Stateless and thread-safe.
 */
public final class RequestParser {

    // RFC 9110 section 5.6.2: tchar.
    private static final boolean[] TCHAR = new boolean[256];
    // RFC 9110 section 5.5: field-vchar = VCHAR / obs-text, plus SP and HTAB inside a value.
    private static final boolean[] FIELD_CHAR = new boolean[256];
    // RFC 3986 reg-name characters: unreserved, pct-encoded ('%'), sub-delims.
    private static final boolean[] REG_NAME = new boolean[128];
    // RFC 3986 characters allowed in a request-target (printable ASCII but space).
    private static final boolean[] TARGET_CHAR = new boolean[256];

    static {
        for (int c = '0'; c <= '9'; c++) {
            TCHAR[c] = true;
        }
        for (int c = 'a'; c <= 'z'; c++) {
            TCHAR[c] = true;
            TCHAR[c - 32] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TCHAR[c] = true;
        }
        for (int c = 0x21; c <= 0xFF; c++) {
            FIELD_CHAR[c] = c != 0x7F;
        }
        FIELD_CHAR[' '] = true;
        FIELD_CHAR['\t'] = true;
        for (int c = 0x21; c <= 0x7E; c++) {
            TARGET_CHAR[c] = true;
        }
        for (int c = '0'; c <= '9'; c++) {
            REG_NAME[c] = true;
        }
        for (int c = 'a'; c <= 'z'; c++) {
            REG_NAME[c] = true;
            REG_NAME[c - 32] = true;
        }
        for (char c : "-._~%!$&'()*+,;=".toCharArray()) {
            REG_NAME[c] = true;
        }
    }

    private final int maxHeaderCount;

    public RequestParser(int maxHeaderCount) {
        this.maxHeaderCount = maxHeaderCount;
    }

    /**
     * Parses {@code raw[0, length)}, which ends with the empty line, into {@code head}.
     *
     * @throws HttpException with the status to answer (400, 431, 501, 505)
     */
    public void parse(byte[] raw, int length, RequestHead head) {
        head.reset();
        int p = 0;
        while (p + 1 < length && raw[p] == '\r' && raw[p + 1] == '\n') {
            p += 2;
        }
        p = parseRequestLine(raw, p, length, head);
        p = parseFields(raw, p, length, head.headers, maxHeaderCount);
        if (p != length) {
            // The reader found the end of the head at length; a parser that stops elsewhere
            // would silently drop or invent a request.
            throw bad("request head does not end where its empty line is");
        }
        decideFraming(head);
    }

    private static int parseRequestLine(byte[] raw, int p, int length, RequestHead head) {
        int start = p;
        while (p < length && TCHAR[raw[p] & 0xFF]) {
            p++;
        }
        if (p == start || p >= length || raw[p] != ' ') {
            throw bad("malformed request line: method");
        }
        head.method = method(raw, start, p);
        start = ++p;
        while (p < length && TARGET_CHAR[raw[p] & 0xFF]) {
            p++;
        }
        if (p == start || p >= length || raw[p] != ' ') {
            throw bad("malformed request line: request-target");
        }
        head.target = new String(raw, start, p - start, StandardCharsets.ISO_8859_1);
        start = ++p;
        // HTTP-version = "HTTP/" DIGIT "." DIGIT, case-sensitive (RFC 9112 section 2.3).
        if (p + 10 > length || raw[p] != 'H' || raw[p + 1] != 'T' || raw[p + 2] != 'T' || raw[p + 3] != 'P'
                || raw[p + 4] != '/' || !digit(raw[p + 5]) || raw[p + 6] != '.' || !digit(raw[p + 7])
                || raw[p + 8] != '\r' || raw[p + 9] != '\n') {
            throw bad("malformed request line: HTTP-version");
        }
        if (raw[p + 5] != '1') {
            throw new HttpException(505, "HTTP version " + (char) raw[p + 5] + "." + (char) raw[p + 7] + " not supported");
        }
        head.minorVersion = raw[p + 7] == '0' ? 0 : 1;
        checkTargetForm(head);
        return p + 10;
    }

    private static String method(byte[] raw, int start, int end) {
        int length = end - start;
        if (length == 3 && raw[start] == 'G' && raw[start + 1] == 'E' && raw[start + 2] == 'T') {
            return "GET";
        }
        if (length == 4 && raw[start] == 'P' && raw[start + 1] == 'O' && raw[start + 2] == 'S' && raw[start + 3] == 'T') {
            return "POST";
        }
        return new String(raw, start, length, StandardCharsets.US_ASCII);
    }

    /** RFC 9112 section 3.2: origin-form, absolute-form, authority-form (CONNECT), asterisk-form (OPTIONS). */
    private static void checkTargetForm(RequestHead head) {
        String target = head.target;
        if (head.method.equals("CONNECT")) {
            throw new HttpException(501, "CONNECT is not supported");
        }
        if (target.indexOf('#') >= 0) {
            // No form of request-target has a fragment (RFC 9112 section 3.2).
            throw bad("fragment in request-target");
        }
        if (target.charAt(0) == '/') {
            return;
        }
        if (target.equals("*")) {
            if (!head.method.equals("OPTIONS")) {
                throw bad("asterisk-form request-target is only allowed for OPTIONS");
            }
            return;
        }
        int scheme = target.indexOf("://");
        if (scheme > 0) {
            String name = target.substring(0, scheme);
            String authority = authority(target);
            if ((name.equalsIgnoreCase("http") || name.equalsIgnoreCase("https")) && !authority.isEmpty()
                    && authority.indexOf('@') < 0 && validHost(authority)) {
                return; // userinfo in an http(s) URI is an error (RFC 9110 section 4.2.4)
            }
        }
        throw bad("malformed request-target");
    }

    /**
     * Whether the absolute-form {@code target} names the host and port {@code host} (a Host field)
     * does: case aside, and with the scheme's default port where either leaves it out
     * ("http://a/" and "a:80" are the same origin).
     */
    static boolean sameAuthority(String target, String host) {
        String authority = authority(target);
        if (authority.equalsIgnoreCase(host)) {
            return true;
        }
        int defaultPort = target.regionMatches(true, 0, "https", 0, 5) ? 443 : 80;
        return hostPart(authority).equalsIgnoreCase(hostPart(host)) && port(authority, defaultPort) == port(host, defaultPort);
    }

    private static String hostPart(String authority) {
        int colon = authority.lastIndexOf(':');
        return colon > authority.lastIndexOf(']') ? authority.substring(0, colon) : authority;
    }

    private static int port(String authority, int defaultPort) {
        int colon = authority.lastIndexOf(':');
        if (colon <= authority.lastIndexOf(']') || colon == authority.length() - 1) {
            return defaultPort;
        }
        try {
            return Integer.parseInt(authority.substring(colon + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * The authority of an absolute-form target ("http://host:port/path?query"): from after "://"
     * to the first '/' or '?' (RFC 3986 section 3.2).
     */
    static String authority(String target) {
        int from = target.indexOf("://") + 3;
        int end = from;
        while (end < target.length() && target.charAt(end) != '/' && target.charAt(end) != '?') {
            end++;
        }
        return target.substring(from, end);
    }

    /**
     * Parses field lines up to and including the empty line; used for headers and chunked trailers.
     * Returns the index after the empty line.
     */
    static int parseFields(byte[] raw, int p, int length, HttpHeaders into, int maxCount) {
        for (;;) {
            if (p + 1 >= length) {
                throw bad("header block not terminated");
            }
            byte first = raw[p];
            if (first == '\r') {
                if (raw[p + 1] != '\n') {
                    throw bad("bare CR");
                }
                return p + 2;
            }
            if (first == ' ' || first == '\t') {
                throw bad("obsolete line folding is not allowed");
            }
            int nameStart = p;
            while (p < length && TCHAR[raw[p] & 0xFF]) {
                p++;
            }
            if (p >= length || raw[p] != ':') {
                if (p < length && (raw[p] == ' ' || raw[p] == '\t')) {
                    throw bad("whitespace between field name and colon");
                }
                throw bad("invalid field name");
            }
            if (p == nameStart) {
                throw bad("empty field name");
            }
            String name = fieldName(raw, nameStart, p);
            p++;
            while (p < length && (raw[p] == ' ' || raw[p] == '\t')) {
                p++;
            }
            int valueStart = p;
            while (p < length && FIELD_CHAR[raw[p] & 0xFF]) {
                p++;
            }
            if (p + 1 >= length || raw[p] != '\r') {
                throw bad(p < length && raw[p] == '\n' ? "bare LF in header block"
                        : p < length && raw[p] == 0 ? "NUL in field value" : "invalid character in field value");
            }
            if (raw[p + 1] != '\n') {
                throw bad("bare CR in field value");
            }
            int valueEnd = p;
            while (valueEnd > valueStart && (raw[valueEnd - 1] == ' ' || raw[valueEnd - 1] == '\t')) {
                valueEnd--;
            }
            if (into.size() >= maxCount) {
                throw new HttpException(431, "more than " + maxCount + " header fields");
            }
            into.add(name, CommonFields.value(raw, valueStart, valueEnd - valueStart));
            p += 2;
        }
    }

    private static String fieldName(byte[] raw, int start, int end) {
        // The names every request has, without allocating.
        int length = end - start;
        if (length == 4 && (raw[start] | 0x20) == 'h' && (raw[start + 1] | 0x20) == 'o'
                && (raw[start + 2] | 0x20) == 's' && (raw[start + 3] | 0x20) == 't') {
            return "Host";
        }
        return CommonFields.name(raw, start, length);
    }

    /** RFC 9112 section 6.3 and 9110 section 7.2 (Host). */
    private static void decideFraming(RequestHead head) {
        HttpHeaders headers = head.headers;
        int hosts = headers.count("Host");
        if (hosts > 1) {
            throw bad("more than one Host header");
        }
        if (hosts == 0 && head.minorVersion == 1) {
            throw bad("missing Host header");
        }
        if (hosts == 1 && !validHost(headers.get("Host"))) {
            throw bad("invalid Host header");
        }
        if (hosts == 1 && head.target.charAt(0) != '/' && !head.target.equals("*")
                && !sameAuthority(head.target, headers.get("Host"))) {
            // RFC 9112 section 3.2.2 makes the target's authority the host, not the Host field;
            // the application reads Host, so the two must agree (as Tomcat requires by default).
            throw bad("Host header does not match the authority of the request-target");
        }
        boolean hasTransferEncoding = headers.contains("Transfer-Encoding");
        boolean hasContentLength = headers.contains("Content-Length");
        if (hasTransferEncoding) {
            if (hasContentLength) {
                throw bad("both Content-Length and Transfer-Encoding");
            }
            checkTransferCodings(headers);
            head.bodyLength = RequestHead.CHUNKED;
            if (head.minorVersion == 0) {
                // RFC 9112 section 6.1: an HTTP/1.0 message with Transfer-Encoding has faulty framing.
                throw bad("Transfer-Encoding in an HTTP/1.0 request");
            }
        } else if (hasContentLength) {
            head.bodyLength = contentLength(headers);
        }
        boolean close = headers.containsToken("Connection", "close");
        head.keepAlive = head.minorVersion == 1 ? !close : !close && headers.containsToken("Connection", "keep-alive");
        String expect = headers.get("Expect");
        if (expect != null) {
            if (!expect.equalsIgnoreCase("100-continue")) {
                throw new HttpException(417, "unsupported expectation: " + expect);
            }
            head.expectContinue = head.minorVersion == 1;
        }
    }

    private static void checkTransferCodings(HttpHeaders headers) {
        var codings = new java.util.ArrayList<String>();
        for (String value : headers.all("Transfer-Encoding")) {
            for (String part : value.split(",", -1)) {
                String coding = part.trim();
                int parameters = coding.indexOf(';');
                if (parameters >= 0) {
                    coding = coding.substring(0, parameters).trim();
                }
                if (coding.isEmpty()) {
                    throw bad("empty transfer coding");
                }
                codings.add(coding);
            }
        }
        String last = codings.get(codings.size() - 1);
        if (!last.equalsIgnoreCase("chunked")) {
            throw bad("the final transfer coding is not chunked");
        }
        for (int i = 0; i < codings.size() - 1; i++) {
            if (codings.get(i).equalsIgnoreCase("chunked")) {
                throw bad("chunked applied more than once");
            }
            // gzip, deflate, compress and anything else: we do not decode transfer codings.
            throw new HttpException(501, "transfer coding not implemented: " + codings.get(i));
        }
    }

    private static long contentLength(HttpHeaders headers) {
        long length = -1;
        for (String value : headers.all("Content-Length")) {
            // RFC 9110 section 8.6: a list of identical values may be taken as that value.
            for (String part : value.split(",", -1)) {
                long parsed = digits(part.trim());
                if (length != -1 && parsed != length) {
                    throw bad("conflicting Content-Length values");
                }
                length = parsed;
            }
        }
        return length;
    }

    private static long digits(String text) {
        if (text.isEmpty() || text.length() > 18) {
            throw bad(text.isEmpty() ? "empty Content-Length" : "Content-Length too large");
        }
        long value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw bad("Content-Length is not a number");
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** RFC 9110 section 7.2: uri-host [ ":" port ], host being reg-name, IPv4 or IP-literal. */
    static boolean validHost(String host) {
        if (host.isEmpty()) {
            return true; // allowed when the target URI has no authority
        }
        int portStart;
        if (host.charAt(0) == '[') {
            int close = host.indexOf(']');
            if (close < 0) {
                return false;
            }
            for (int i = 1; i < close; i++) {
                char c = host.charAt(i);
                if (!(Character.digit(c, 16) >= 0 || c == ':' || c == '.' || c == 'v' || c == 'V')) {
                    return false;
                }
            }
            portStart = close + 1;
            if (portStart < host.length() && host.charAt(portStart) != ':') {
                return false;
            }
        } else {
            int colon = host.indexOf(':');
            int end = colon < 0 ? host.length() : colon;
            for (int i = 0; i < end; i++) {
                char c = host.charAt(i);
                if (c >= 128 || !REG_NAME[c]) {
                    return false;
                }
            }
            portStart = end;
        }
        if (portStart < host.length()) {
            String port = host.substring(portStart + 1);
            if (port.length() > 5) {
                return false;
            }
            for (int i = 0; i < port.length(); i++) {
                if (!digit((byte) port.charAt(i))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Whether {@code c} (a byte as 0 to 255, or -1) is a tchar (RFC 9110 section 5.6.2). */
    static boolean tchar(int c) {
        return c >= 0 && c < 256 && TCHAR[c];
    }

    private static boolean digit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static HttpException bad(String message) {
        return new HttpException(400, message);
    }
}
