package dev.netpoll.servlet;

import dev.netpoll.fuzz.Draw;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Valid {@code multipart/form-data} bodies (RFC 7578, RFC 2046 section 5.1) of random parts:
 * boundaries of 1 to 70 bchars, quoted in the Content-Type when they must be; a preamble, transport
 * padding after delimiters, an epilogue; names and file names quoted with escapes or bare, in
 * UTF-8; and content of any bytes that do not contain the delimiter, up to past the parser's
 * 64 KiB window.
 */
final class MultipartGrammar {

    private static final String BCHARS_NO_SPACE = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'()+_,-./:=?";
    private static final String TOKEN = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final String QUOTED_NAME_CHARS = Draw.chars(' ', '~') + "äü€\u4e2d";
    private static final String FILE_NAME_CHARS = Draw.chars(' ', '~') + "é";

    private MultipartGrammar() {
    }

    private record Part(String name, boolean quotedName, String fileName, String contentType, String extraValue, byte[] content) {
    }

    static MultipartSample body(Random random) {
        String boundary = Draw.string(random, BCHARS_NO_SPACE + " ", 0, 69) + Draw.string(random, BCHARS_NO_SPACE, 1, 1);
        byte[] preamble = preambleOrEpilogue(random);
        List<Part> parts = Draw.list(random, 0, 4, MultipartGrammar::part);
        String padding = Draw.oneOf(random, "", "", "", " ", "\t ");
        byte[] epilogue = preambleOrEpilogue(random);
        return render(boundary, preamble, parts, padding, epilogue);
    }

    private static byte[] preambleOrEpilogue(Random random) {
        return Draw.weighted(random, 3, 1) == 0 ? new byte[0] : Draw.bytes(random, 0, 40);
    }

    private static Part part(Random random) {
        boolean quotedName = Draw.weighted(random, 3, 1) == 0;
        String name = quotedName ? Draw.string(random, QUOTED_NAME_CHARS, 0, 12) : Draw.string(random, TOKEN, 1, 12);
        String fileName = Draw.weighted(random, 2, 1) == 0 ? "" : Draw.string(random, FILE_NAME_CHARS, 1, 16);
        String contentType = Draw.oneOf(random, "", "text/plain; charset=UTF-8", "application/octet-stream");
        String extraValue = Draw.weighted(random, 3, 1) == 0 ? "" : Draw.string(random, Draw.chars('!', '~'), 1, 10);
        return new Part(name, quotedName, fileName, contentType, extraValue, content(random));
    }

    private static byte[] content(Random random) {
        return switch (Draw.weighted(random, 10, 4, 1)) {
            case 0 -> Draw.bytes(random, 0, 200);
            // Bytes a delimiter is made of, so that near-delimiters appear in content.
            case 1 -> Draw.string(random, "\r\n- a", 0, 30).getBytes(StandardCharsets.ISO_8859_1);
            default -> Draw.bytes(random, 60_000, 140_000);
        };
    }

    private static MultipartSample render(String boundary, byte[] preamble, List<Part> parts, String padding, byte[] epilogue) {
        byte[] delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        var out = new ByteArrayOutputStream();
        if (preamble.length > 0 && indexOf(concat(new byte[] {'\r', '\n'}, preamble), delimiter) < 0) {
            out.writeBytes(preamble);
            out.writeBytes(new byte[] {'\r', '\n'});
        }
        var expected = new ArrayList<ReadPart>();
        for (Part part : parts) {
            byte[] content = indexOf(part.content, delimiter) < 0 ? part.content : new byte[0];
            out.writeBytes(("--" + boundary + padding + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            Map<String, List<String>> headers = new LinkedHashMap<>();
            String disposition = "form-data; name=" + (part.quotedName ? quote(part.name) : part.name)
                    + (part.fileName.isEmpty() ? "" : "; filename=" + quote(part.fileName));
            header(out, headers, "Content-Disposition", disposition);
            if (!part.contentType.isEmpty()) {
                header(out, headers, "Content-Type", part.contentType);
            }
            if (!part.extraValue.isEmpty()) {
                header(out, headers, "X-Extra", part.extraValue);
            }
            out.writeBytes(new byte[] {'\r', '\n'});
            out.writeBytes(content);
            out.writeBytes(new byte[] {'\r', '\n'});
            expected.add(new ReadPart(part.name, part.fileName.isEmpty() ? null : part.fileName, headers,
                    new String(content, StandardCharsets.ISO_8859_1)));
        }
        out.writeBytes(("--" + boundary + "--").getBytes(StandardCharsets.ISO_8859_1));
        int delimited = out.size();
        out.writeBytes(epilogue);
        boolean mustQuote = boundary.chars().anyMatch(c -> TOKEN.indexOf(c) < 0);
        String contentType = "multipart/form-data; boundary=" + (mustQuote ? '"' + boundary + '"' : boundary);
        return new MultipartSample(contentType, boundary, out.toByteArray(), List.copyOf(expected), delimited);
    }

    private static void header(ByteArrayOutputStream out, Map<String, List<String>> headers, String name, String value) {
        out.writeBytes((name + ": " + value + "\r\n").getBytes(StandardCharsets.UTF_8));
        headers.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
    }

    /** RFC 9110 section 5.6.4 quoted-string, as browsers send names with quotes and backslashes. */
    private static String quote(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
