package dev.netpoll.servlet;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Request parameters: {@code application/x-www-form-urlencoded} pairs from the query string and a
 * form body, query first (Servlet 6.1 section 3.1), decoded with the request's character encoding.
 */
final class Parameters {

    private final Map<String, List<String>> values = new LinkedHashMap<>();

    /** Pairs from the wire: {@code encoded} holds its bytes one per char (ISO-8859-1). */
    void parse(String encoded, Charset charset) {
        parse(encoded, charset, true);
    }

    /**
     * Pairs from {@code encoded}; {@code wire}: its chars are the request's bytes (ISO-8859-1),
     * else it is text an application wrote (a dispatcher's query string), whose unescaped chars
     * are taken as they are.
     */
    void parse(String encoded, Charset charset, boolean wire) {
        if (encoded == null || encoded.isEmpty()) {
            return;
        }
        int start = 0;
        while (start <= encoded.length()) {
            int end = encoded.indexOf('&', start);
            if (end < 0) {
                end = encoded.length();
            }
            if (end > start) {
                int equals = encoded.indexOf('=', start);
                String name;
                String value;
                if (equals < 0 || equals > end) {
                    name = decode(encoded, start, end, charset, wire);
                    value = "";
                } else {
                    name = decode(encoded, start, equals, charset, wire);
                    value = decode(encoded, equals + 1, end, charset, wire);
                }
                values.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
            }
            start = end + 1;
        }
    }

    /**
     * Percent-decodes and turns '+' into space; a malformed escape is kept as written. {@code text}
     * holds the wire's bytes one per char (ISO-8859-1), so bytes sent unescaped, such as UTF-8
     * from {@code curl -d 'name=José'}, are decoded with {@code charset} like escaped ones. With
     * {@code wire} false it is text an application wrote, whose unescaped chars stand as they are.
     */
    private static String decode(String text, int from, int to, Charset charset, boolean wire) {
        boolean plain = true;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c == '%' || c == '+' || wire && c >= 0x80) {
                plain = false;
                break;
            }
        }
        if (plain) {
            return text.substring(from, to);
        }
        var bytes = new ByteArrayOutputStream(to - from);
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c == '+') {
                bytes.write(' ');
            } else if (c == '%' && i + 2 < to
                    && Character.digit(text.charAt(i + 1), 16) >= 0 && Character.digit(text.charAt(i + 2), 16) >= 0) {
                bytes.write(Character.digit(text.charAt(i + 1), 16) * 16 + Character.digit(text.charAt(i + 2), 16));
                i += 2;
            } else if (wire && c <= 0xFF) {
                bytes.write(c);
            } else {
                byte[] raw = String.valueOf(c).getBytes(charset);
                bytes.write(raw, 0, raw.length);
            }
        }
        return bytes.toString(charset);
    }

    void add(String name, String value) {
        values.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
    }

    Map<String, List<String>> asMap() {
        return values;
    }
}
