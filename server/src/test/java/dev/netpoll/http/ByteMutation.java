package dev.netpoll.http;

import dev.netpoll.fuzz.Draw;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * One edit of a valid encoding, for the fuzz tests: the grammar gives inputs that reach deep into
 * a parser, and a few edits of them reach its refusals, which random bytes rarely get past the
 * first line to. Positions are fractions of the input's length, so an edit fits any input.
 *
 * <p>Edits use bytes that matter to HTTP framing (CR, LF, NUL, SP, HTAB, separators, hex digits,
 * obs-text) and the caller's dictionary of tokens (header lines, boundaries, chunk lines).
 */
public record ByteMutation(Kind kind, double where, int length, byte[] bytes) {

    public enum Kind { REPLACE, INSERT, DELETE, DUPLICATE, TRUNCATE }

    private static final byte[] FRAMING_BYTES = {'\r', '\n', 0, ' ', '\t', ':', ';', '=', ',', '"', '\\', '-',
            '0', '1', '9', 'a', 'f', 'F', 'g', 'x', '/', '?', '*', 0x7F, (byte) 0x80, (byte) 0xFF};

    /** Applies {@code mutations} in order to a copy of {@code input}. */
    public static byte[] applyAll(List<ByteMutation> mutations, byte[] input) {
        byte[] result = input;
        for (ByteMutation mutation : mutations) {
            result = mutation.applyTo(result);
        }
        return result;
    }

    /** One to three edits. */
    public static List<ByteMutation> some(Random random, List<String> dictionary) {
        return Draw.list(random, 1, 3, r -> any(r, dictionary));
    }

    /** Applies one to three edits to a copy of {@code input}. */
    public static byte[] edit(Random random, List<String> dictionary, byte[] input) {
        return applyAll(some(random, dictionary), input);
    }

    public static ByteMutation any(Random random, List<String> dictionary) {
        Kind kind = Draw.oneOf(random, Kind.values());
        double where = Draw.fraction(random);
        int length = Draw.between(random, 1, 8);
        byte[] bytes = dictionary.isEmpty() || Draw.weighted(random, 3, 2) == 0 ? singleByte(random)
                : Draw.oneOf(random, dictionary).getBytes(StandardCharsets.ISO_8859_1);
        return new ByteMutation(kind, where, length, bytes);
    }

    private static byte[] singleByte(Random random) {
        byte b = Draw.weighted(random, 4, 1) == 0 ? FRAMING_BYTES[random.nextInt(FRAMING_BYTES.length)] : (byte) random.nextInt(256);
        return new byte[] {b};
    }

    public byte[] applyTo(byte[] input) {
        int at = Math.min(input.length, (int) (where * (input.length + 1)));
        var out = new ByteArrayOutputStream(input.length + bytes.length + length);
        out.write(input, 0, at);
        switch (kind) {
            case REPLACE -> {
                out.writeBytes(bytes);
                int skip = Math.min(input.length, at + bytes.length);
                out.write(input, skip, input.length - skip);
            }
            case INSERT -> {
                out.writeBytes(bytes);
                out.write(input, at, input.length - at);
            }
            case DELETE -> {
                int skip = Math.min(input.length, at + length);
                out.write(input, skip, input.length - skip);
            }
            case DUPLICATE -> {
                int end = Math.min(input.length, at + length * 8);
                out.write(input, at, end - at);
                out.write(input, at, input.length - at);
            }
            case TRUNCATE -> {
            }
        }
        return out.toByteArray();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ByteMutation m && kind == m.kind && where == m.where && length == m.length
                && Arrays.equals(bytes, m.bytes);
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        String what = switch (kind) {
            case REPLACE, INSERT -> " " + JavaLiteral.of(bytes);
            case DELETE -> " " + length;
            case DUPLICATE -> " " + length * 8;
            case TRUNCATE -> "";
        };
        return kind + "@" + String.format("%.3f", where) + what;
    }
}
