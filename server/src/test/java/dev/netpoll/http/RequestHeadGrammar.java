package dev.netpoll.http;

import dev.netpoll.fuzz.Draw;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * Request heads that RFC 9112 and the engine's stricter rules both accept, built from the
 * grammar: request line in the four target forms, Host in its three forms, fields with obs-text and
 * optional whitespace, each body framing the engine accepts, Connection and Expect. Each comes with
 * the {@link ParsedHead} the engine must read from it.
 */
final class RequestHeadGrammar {

    static final String TCHARS = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final Set<String> DECIDED_NAMES = Set.of("host", "content-length", "transfer-encoding", "connection", "expect");
    private static final String VISIBLE = Draw.chars('!', '~');
    private static final String FIELD_CHARS = VISIBLE + Draw.chars((char) 0x80, (char) 0xFF) + " \t";
    private static final List<String> OWS = List.of("", " ", "  ", "\t", " \t");

    private RequestHeadGrammar() {
    }

    /** A head of any size; bodies announced by Content-Length are up to {@code maxBodyLength}. */
    static HeadSample head(Random random, long maxBodyLength) {
        int emptyLines = Draw.weighted(random, 8, 1, 1); // 0, 1 or 2 before the request line, RFC 9112 section 2.2
        String host = host(random);
        String[] methodAndTarget = requestLine(random, host);
        int minor = Draw.weighted(random, 4, 1) == 0 ? 1 : 0;
        boolean hostOnHttp10 = random.nextBoolean();
        Framing framing = framing(random, maxBodyLength);
        String connection = Draw.oneOf(random, "", "close", "keep-alive", "Keep-Alive", "upgrade, Close");
        String expect = Draw.oneOf(random, "", "", "100-continue", "100-Continue");
        var lines = new ArrayList<>(Draw.list(random, 0, 4, RequestHeadGrammar::extraField));
        long shuffle = random.nextLong();

        if (minor == 1 || hostOnHttp10) {
            lines.add(new Field(caseOf("Host", shuffle), host, " ", ""));
        }
        long bodyLength = RequestHead.NO_BODY;
        if (framing.contentLength >= 0) {
            bodyLength = framing.contentLength;
            for (String value : framing.values) {
                lines.add(new Field("Content-Length", value, " ", ""));
            }
        } else if (framing.contentLength == RequestHead.CHUNKED && minor == 1) {
            // RFC 9112 section 6.1: Transfer-Encoding in HTTP/1.0 is faulty framing, refused.
            bodyLength = RequestHead.CHUNKED;
            for (String value : framing.values) {
                lines.add(new Field(caseOf("Transfer-Encoding", shuffle >>> 8), value, " ", ""));
            }
        }
        if (!connection.isEmpty()) {
            lines.add(new Field("Connection", connection, " ", " "));
        }
        if (!expect.isEmpty()) {
            lines.add(new Field("Expect", expect, "", ""));
        }
        Collections.shuffle(lines, new Random(shuffle));

        var text = new StringBuilder();
        text.append("\r\n".repeat(emptyLines));
        text.append(methodAndTarget[0]).append(' ').append(methodAndTarget[1]).append(" HTTP/1.").append(minor).append("\r\n");
        var expectedFields = new ArrayList<String>();
        for (Field field : lines) {
            text.append(field.name).append(':').append(field.before).append(field.value).append(field.after).append("\r\n");
            // The parser names Host without allocating, whatever its case.
            String name = field.name.equalsIgnoreCase("Host") ? "Host" : field.name;
            expectedFields.add(name + ": " + field.value);
        }
        text.append("\r\n");
        boolean close = connection.toLowerCase(Locale.ROOT).contains("close");
        boolean keepAlive = minor == 1 ? !close : connection.equalsIgnoreCase("keep-alive");
        var expected = new ParsedHead(methodAndTarget[0], methodAndTarget[1], minor, List.copyOf(expectedFields),
                bodyLength, keepAlive, !expect.isEmpty() && minor == 1, false);
        return new HeadSample(text.toString().getBytes(StandardCharsets.ISO_8859_1), expected);
    }

    /**
     * Method and target: origin-form mostly, absolute-form (its authority the Host field's value,
     * as RFC 9112 section 3.2.2 has the server require), and asterisk-form for OPTIONS.
     */
    private static String[] requestLine(Random random, String host) {
        return switch (Draw.weighted(random, 8, 2, 1)) {
            case 0 -> new String[] {method(random), path(random)};
            case 1 -> host.isEmpty() ? new String[] {method(random), path(random)}
                    : new String[] {method(random), Draw.oneOf(random, "http", "https", "HTTP") + "://" + host + path(random)};
            default -> new String[] {"OPTIONS", "*"};
        };
    }

    private static String method(Random random) {
        if (Draw.weighted(random, 5, 1) == 0) {
            return Draw.oneOf(random, "GET", "POST", "PUT", "DELETE", "HEAD", "PATCH", "OPTIONS");
        }
        String method;
        do {
            method = token(random, 10);
        } while (method.equals("CONNECT"));
        return method;
    }

    /** No '#': a request-target has no fragment. */
    private static String path(Random random) {
        return "/" + Draw.string(random, VISIBLE.replace("#", ""), 0, 30);
    }

    /** RFC 9110 section 7.2: reg-name, IPv4 (a reg-name too) or IP-literal, with an optional port. */
    private static String host(Random random) {
        String name = switch (Draw.weighted(random, 6, 1, 1)) {
            case 0 -> regName(random);
            case 1 -> "[" + Draw.string(random, "0123456789abcdefABCDEF:.", 2, 20) + "]";
            default -> "";
        };
        String port = switch (Draw.weighted(random, 3, 2, 1)) {
            case 0 -> "";
            case 1 -> ":" + Draw.between(random, 0, 65535);
            default -> ":";
        };
        return name.isEmpty() ? name : name + port;
    }

    private static String regName(Random random) {
        return Draw.string(random, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~%!$&'()*+,;=", 1, 20);
    }

    /** Either framing, in the spellings the engine accepts; {@code contentLength} -1 is chunked. */
    record Framing(long contentLength, List<String> values) {
    }

    private static Framing framing(Random random, long maxBodyLength) {
        return switch (Draw.weighted(random, 3, 2, 2)) {
            case 0 -> new Framing(RequestHead.NO_BODY, List.of());
            case 1 -> {
                long n = Draw.between(random, 0, maxBodyLength);
                yield Draw.oneOf(random,
                        new Framing(n, List.of(Long.toString(n))),
                        new Framing(n, List.of(n + ", " + n)),
                        new Framing(n, List.of("0" + n, Long.toString(n))),
                        new Framing(n, List.of(Long.toString(n), Long.toString(n))));
            }
            default -> new Framing(RequestHead.CHUNKED, List.of(Draw.oneOf(random, "chunked", "Chunked", "CHUNKED", "chunked ; q=1")));
        };
    }

    /** A field name and value as sent, with the optional whitespace around the value. */
    record Field(String name, String value, String before, String after) {
    }

    private static Field extraField(Random random) {
        String name;
        do {
            name = token(random, 16);
        } while (DECIDED_NAMES.contains(name.toLowerCase(Locale.ROOT)));
        // field-vchar (VCHAR, obs-text) with SP and HTAB inside; the edges are optional whitespace.
        String value = trimWhitespace(Draw.string(random, FIELD_CHARS, 0, 24));
        return new Field(name, value, Draw.oneOf(random, OWS), Draw.oneOf(random, OWS));
    }

    static String token(Random random, int maxLength) {
        return Draw.string(random, TCHARS, 1, maxLength);
    }

    private static String trimWhitespace(String value) {
        int from = 0;
        int to = value.length();
        while (from < to && (value.charAt(from) == ' ' || value.charAt(from) == '\t')) {
            from++;
        }
        while (to > from && (value.charAt(to - 1) == ' ' || value.charAt(to - 1) == '\t')) {
            to--;
        }
        return value.substring(from, to);
    }

    private static String caseOf(String name, long bits) {
        var text = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            text.append((bits >>> (i % 60) & 1) == 0 ? c : Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c));
        }
        return text.toString();
    }
}
