package dev.netpoll.servlet;

import jakarta.servlet.http.Cookie;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads {@code Cookie} request headers and writes {@code Set-Cookie} values (RFC 6265). */
final class Cookies {

    /** The attribute name of RFC 6265bis; attribute names are matched case-insensitively. */
    static final String SAME_SITE = "SameSite";

    private Cookies() {
    }

    /** The cookies of {@code Cookie} header values; malformed pairs are skipped. */
    static Cookie[] parse(List<String> headers) {
        List<Cookie> cookies = new ArrayList<>();
        for (String header : headers) {
            for (String pair : header.split(";")) {
                int equals = pair.indexOf('=');
                if (equals <= 0) {
                    continue;
                }
                String name = pair.substring(0, equals).trim();
                String value = pair.substring(equals + 1).trim();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                try {
                    cookies.add(new Cookie(name, value));
                } catch (IllegalArgumentException e) {
                    // not a valid cookie name: ignored, as browsers do
                }
            }
        }
        return cookies.toArray(Cookie[]::new);
    }

    /**
     * The {@code Set-Cookie} value of {@code cookie}, including SameSite and other attributes, plus
     * {@code SameSite=sameSite} when that is not null (the caller has checked that the cookie has none).
     */
    static String format(Cookie cookie, String sameSite) {
        var out = new StringBuilder(cookie.getName()).append('=');
        if (cookie.getValue() != null) {
            checkValue(cookie.getName(), cookie.getValue());
            out.append(cookie.getValue());
        }
        int maxAge = cookie.getMaxAge();
        if (maxAge >= 0) {
            out.append("; Max-Age=").append(maxAge);
            out.append("; Expires=").append(DateTimeFormatter.RFC_1123_DATE_TIME.format(
                    ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(maxAge)));
        }
        if (cookie.getDomain() != null) {
            out.append("; Domain=").append(checkAttribute(cookie, "Domain", cookie.getDomain()));
        }
        if (cookie.getPath() != null) {
            out.append("; Path=").append(checkAttribute(cookie, "Path", cookie.getPath()));
        }
        if (cookie.getSecure()) {
            out.append("; Secure");
        }
        if (cookie.isHttpOnly()) {
            out.append("; HttpOnly");
        }
        for (Map.Entry<String, String> attribute : cookie.getAttributes().entrySet()) {
            String name = attribute.getKey();
            if (name.equalsIgnoreCase("Max-Age") || name.equalsIgnoreCase("Domain") || name.equalsIgnoreCase("Path")
                    || name.equalsIgnoreCase("Secure") || name.equalsIgnoreCase("HttpOnly")
                    || name.equalsIgnoreCase("Expires")) {
                continue;
            }
            out.append("; ").append(name);
            if (attribute.getValue() != null && !attribute.getValue().isEmpty()) {
                out.append('=').append(checkAttribute(cookie, name, attribute.getValue()));
            }
        }
        if (sameSite != null) {
            out.append("; ").append(SAME_SITE).append('=').append(sameSite);
        }
        return out.toString();
    }

    /**
     * RFC 6265 section 4.1.1: cookie-value is cookie-octets, optionally in double quotes. A ';'
     * in a value would add attributes of the caller's choosing ("a; Domain=evil"), a CR or LF a
     * header; Tomcat refuses such values the same way, with IllegalArgumentException.
     */
    private static void checkValue(String name, String value) {
        int from = 0;
        int to = value.length();
        if (to >= 2 && value.charAt(0) == '"' && value.charAt(to - 1) == '"') {
            from = 1;
            to--;
        }
        for (int i = from; i < to; i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c > 0x7E || c == '"' || c == ',' || c == ';' || c == '\\') {
                throw new IllegalArgumentException("cookie " + name + ": the value has a character a cookie value cannot"
                        + " carry (0x" + Integer.toHexString(c) + "; RFC 6265 section 4.1.1): encode it, for example as Base64");
            }
        }
    }

    /** An attribute value ends at ';' and may hold no control character (RFC 6265 section 4.1.1). */
    private static String checkAttribute(Cookie cookie, String attribute, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7F || c == ';') {
                throw new IllegalArgumentException("cookie " + cookie.getName() + ": its " + attribute
                        + " has a character an attribute cannot carry (0x" + Integer.toHexString(c) + ")");
            }
        }
        return value;
    }
}
