package dev.netpoll.http;

import dev.netpoll.fuzz.Draw;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Valid chunked encodings (RFC 9112 section 7.1) of random data: random chunk sizes written in
 * either case with leading zeros, chunk extensions with token and quoted-string values and the
 * whitespace the grammar allows, and trailer fields.
 */
final class ChunkedGrammar {

    private static final String QUOTED_TEXT = Draw.chars(' ', '~') + '\t';
    private static final String FIELD_TEXT = Draw.chars(' ', '~');

    private ChunkedGrammar() {
    }

    /** An encoding of up to {@code maxData} bytes. */
    static ChunkedSample encoding(Random random, int maxData) {
        byte[] data = Draw.bytes(random, 0, maxData);
        List<Integer> sizes = Draw.list(random, 1, 6,
                r -> Draw.weighted(r, 3, 2) == 0 ? Draw.between(r, 1, 20) : Draw.between(r, 21, 600));
        List<ChunkLine> lines = Draw.list(random, 1, 6, ChunkedGrammar::chunkLine);
        List<String> trailers = Draw.list(random, 0, 3, ChunkedGrammar::trailer);
        return render(data, sizes, lines, trailers);
    }

    private static ChunkedSample render(byte[] data, List<Integer> sizes, List<ChunkLine> lines, List<String> trailerLines) {
        var out = new ByteArrayOutputStream();
        int chunk = 0;
        for (int p = 0; p < data.length; chunk++) {
            int size = Math.min(sizes.get(chunk % sizes.size()), data.length - p);
            out.writeBytes(lines.get(chunk % lines.size()).render(size));
            out.write(data, p, size);
            out.writeBytes(new byte[] {'\r', '\n'});
            p += size;
        }
        out.writeBytes(lines.get(chunk % lines.size()).render(0));
        var trailers = new ArrayList<String>();
        for (String line : trailerLines) {
            out.writeBytes(line.getBytes(StandardCharsets.ISO_8859_1));
            int colon = line.indexOf(':');
            trailers.add(line.substring(0, colon) + ": " + line.substring(colon + 1).strip());
        }
        out.writeBytes(new byte[] {'\r', '\n'});
        return new ChunkedSample(out.toByteArray(), data, List.copyOf(trailers));
    }

    /** How one chunk line is spelt: leading zeros, the case of hex digits, its extensions. */
    private record ChunkLine(String zeros, boolean upperCase, String extensions) {

        byte[] render(int size) {
            String digits = Integer.toHexString(size);
            return (zeros + (upperCase ? digits.toUpperCase(Locale.ROOT) : digits) + extensions + "\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1);
        }
    }

    private static ChunkLine chunkLine(Random random) {
        String zeros = Draw.oneOf(random, "", "", "0", "00");
        boolean upperCase = random.nextBoolean();
        String extensions = Draw.weighted(random, 2, 1) == 0 ? ""
                : String.join("", Draw.list(random, 1, 2, ChunkedGrammar::extension));
        return new ChunkLine(zeros, upperCase, extensions);
    }

    private static String extension(Random random) {
        String before = badWhitespace(random);
        String after = badWhitespace(random);
        String name = RequestHeadGrammar.token(random, 8);
        String around = badWhitespace(random);
        String value = switch (Draw.weighted(random, 2, 2, 1)) {
            case 0 -> "";
            case 1 -> RequestHeadGrammar.token(random, 8);
            default -> '"' + Draw.string(random, QUOTED_TEXT, 0, 12).replace("\\", "\\\\").replace("\"", "\\\"") + '"';
        };
        return before + ";" + after + name + (value.isEmpty() ? "" : around + "=" + around + value);
    }

    /** BWS (RFC 9110 section 5.6.3), which RFC 9112 section 7.1.1 allows around a chunk extension's ";" and "=". */
    private static String badWhitespace(Random random) {
        return Draw.oneOf(random, "", "", " ", "\t");
    }

    private static String trailer(Random random) {
        String name;
        do {
            name = RequestHeadGrammar.token(random, 12);
        } while (name.equalsIgnoreCase("host"));
        String value = Draw.string(random, FIELD_TEXT, 0, 16).strip();
        String ows = Draw.oneOf(random, "", " ", "\t");
        return name + ":" + ows + value + ows + "\r\n";
    }
}
