package dev.netpoll.servlet;

import dev.netpoll.http.HttpException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Decodes and vets the path of a request-target before any servlet sees it.
 *
 * <p>Refused with 400, as Tomcat does by default: dot segments ({@code .} and {@code ..}, also
 * percent-encoded), encoded slashes and backslashes ({@code %2F}, {@code %5C}), encoded NUL,
 * backslashes, path parameters ({@code ;}) and invalid percent-escapes or UTF-8. Whatever survives
 * decodes unambiguously, so a mapping or a security rule on the decoded path cannot be bypassed by
 * another spelling of it. Stateless.
 */
final class RequestPath {

    private RequestPath() {
    }

    /** The decoded, vetted form of {@code raw} (the path as sent, without the query). */
    static String decode(String raw) {
        if (raw.isEmpty() || raw.charAt(0) != '/') {
            throw bad("path must start with '/'");
        }
        if (raw.indexOf(';') >= 0) {
            throw bad("path parameters are not accepted");
        }
        if (raw.indexOf('\\') >= 0) {
            throw bad("backslash in path");
        }
        var bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    throw bad("truncated percent-escape");
                }
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw bad("invalid percent-escape");
                }
                int b = hi * 16 + lo;
                if (b == '/' || b == '\\' || b == 0 || b == ';') {
                    throw bad("encoded '/', '\\\\', ';' or NUL in path");
                }
                bytes.write(b);
                i += 2;
            } else {
                bytes.write(c);
            }
        }
        String decoded = utf8(bytes.toByteArray());
        int segmentStart = 1;
        for (int i = 1; i <= decoded.length(); i++) {
            if (i == decoded.length() || decoded.charAt(i) == '/') {
                int length = i - segmentStart;
                if (length == 1 && decoded.charAt(segmentStart) == '.'
                        || length == 2 && decoded.charAt(segmentStart) == '.' && decoded.charAt(segmentStart + 1) == '.') {
                    throw bad("dot segment in path");
                }
                segmentStart = i + 1;
            }
        }
        return decoded;
    }

    private static String utf8(byte[] bytes) {
        var decoder = StandardCharsets.UTF_8.newDecoder();
        try {
            return decoder.decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw bad("path is not valid UTF-8");
        }
    }

    private static HttpException bad(String message) {
        return new HttpException(400, message);
    }
}
