package dev.netpoll.http;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A second reading of chunked coding, written from {@link ChunkedBody}'s documented contract
 * rather than from its code: the whole input at once, in array indices, no streaming. The fuzz
 * tests compare the two on valid and mutated encodings. Where the contract allows a choice it
 * follows {@link ChunkedBody}: whitespace is allowed before the CRLF ending a chunk line, obs-text
 * is refused in extensions, a line is at most 4096 bytes from its first digit.
 *
 * <p>The contract (RFC 9112 section 7.1): chunk-size is 1*HEXDIG of at most 15 digits;
 * chunk-ext = *( BWS ";" BWS token [ BWS "=" BWS ( token / quoted-string ) ] ); lines end in CRLF;
 * chunk data is followed by CRLF; the trailer section ends with an empty line and holds valid
 * fields. Violations are 400, a body over the limit 413, a trailer section over its limit 431.
 */
final class ChunkedReference {

    private static final int MAX_LINE = 4096;

    /** Decoded data, trailers and bytes consumed; or the refusal status (then the rest is null). */
    record Decoding(byte[] data, List<String> trailers, int consumed, int status) {

        static Decoding refused(int status) {
            return new Decoding(null, null, -1, status);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Decoding d && Arrays.equals(data, d.data) && java.util.Objects.equals(trailers, d.trailers)
                    && consumed == d.consumed && status == d.status;
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(data) * 31 + status;
        }

        @Override
        public String toString() {
            return status != 0 ? "refused " + status
                    : "data " + JavaLiteral.of(data) + ", trailers " + trailers + ", consumed " + consumed;
        }
    }

    private final byte[] in;
    private int p;

    private ChunkedReference(byte[] in) {
        this.in = in;
    }

    static Decoding decode(byte[] in, long maxBodySize, int maxTrailerSize) {
        return new ChunkedReference(in).decode(maxBodySize, maxTrailerSize);
    }

    private Decoding decode(long maxBodySize, int maxTrailerSize) {
        var data = new ByteArrayOutputStream();
        long total = 0;
        long excess = 0;
        for (;;) {
            int lineStart = p;
            long size = 0;
            while (p < in.length && Character.digit(in[p], 16) >= 0) {
                if (p - lineStart == 15) {
                    return Decoding.refused(400);
                }
                size = size * 16 + Character.digit(in[p++], 16);
            }
            int digits = p - lineStart;
            if (digits == 0) {
                return Decoding.refused(400);
            }
            skipWhitespace();
            if (!extensions() || p >= in.length || in[p] != '\r' || p - lineStart > MAX_LINE) {
                return Decoding.refused(400);
            }
            int line = p - lineStart;
            p++;
            if (!take('\n')) {
                return Decoding.refused(400);
            }
            excess = Math.max(0, excess + line + 4 - 16 - 2 * size);
            if (excess > ChunkedBody.MAX_EXCESS) {
                return Decoding.refused(400);
            }
            if (size == 0) {
                return trailers(data.toByteArray(), maxTrailerSize);
            }
            total += size;
            if (maxBodySize >= 0 && total > maxBodySize) {
                return Decoding.refused(413);
            }
            if (in.length - p < size) {
                return Decoding.refused(400);
            }
            data.write(in, p, (int) size);
            p += (int) size;
            if (!take('\r') || !take('\n')) {
                return Decoding.refused(400);
            }
        }
    }

    /** Zero or more {@code ; name [= value]}, with BWS around; false if malformed. */
    private boolean extensions() {
        while (p < in.length && in[p] == ';') {
            p++;
            skipWhitespace();
            if (token() == 0) {
                return false;
            }
            skipWhitespace();
            if (p < in.length && in[p] == '=') {
                p++;
                skipWhitespace();
                if (p < in.length && in[p] == '"') {
                    if (!quotedString()) {
                        return false;
                    }
                    skipWhitespace();
                } else if (token() == 0) {
                    return false;
                }
            }
            skipWhitespace();
        }
        return true;
    }

    /** RFC 9110 section 5.6.4, without obs-text. */
    private boolean quotedString() {
        p++;
        while (p < in.length) {
            int c = in[p] & 0xFF;
            if (c == '"') {
                p++;
                return true;
            }
            if (c == '\\') {
                p++;
                if (p >= in.length || !visibleOrBlank(in[p] & 0xFF)) {
                    return false;
                }
            } else if (!visibleOrBlank(c)) {
                return false;
            }
            p++;
        }
        return false;
    }

    private static boolean visibleOrBlank(int c) {
        return c == ' ' || c == '\t' || c >= 0x21 && c <= 0x7E;
    }

    private int token() {
        int start = p;
        while (p < in.length && RequestHeadGrammar.TCHARS.indexOf(in[p]) >= 0 && in[p] != 0) {
            p++;
        }
        return p - start;
    }

    private void skipWhitespace() {
        while (p < in.length && (in[p] == ' ' || in[p] == '\t')) {
            p++;
        }
    }

    private boolean take(int wanted) {
        if (p < in.length && in[p] == wanted) {
            p++;
            return true;
        }
        return false;
    }

    private Decoding trailers(byte[] data, int maxTrailerSize) {
        int start = p;
        for (;;) {
            if (p >= in.length) {
                return Decoding.refused(400);
            }
            byte c = in[p++];
            int size = p - start;
            if (size > maxTrailerSize) {
                return Decoding.refused(431);
            }
            if (c == '\n') {
                if (size < 2 || in[p - 2] != '\r') {
                    return Decoding.refused(400);
                }
                if (size == 2 || size >= 4 && in[p - 3] == '\n' && in[p - 4] == '\r') {
                    break;
                }
            }
        }
        var fields = new HttpHeaders();
        try {
            RequestParser.parseFields(in, start, p, fields, 100);
        } catch (HttpException e) {
            return Decoding.refused(e.status());
        }
        var trailers = new ArrayList<String>();
        for (int i = 0; i < fields.size(); i++) {
            trailers.add(fields.name(i) + ": " + fields.value(i));
        }
        return new Decoding(data, List.copyOf(trailers), p, 0);
    }
}
