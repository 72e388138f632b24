package dev.netpoll.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netpoll.fuzz.Draw;
import dev.netpoll.fuzz.FuzzCase;
import dev.netpoll.fuzz.FuzzRun;
import dev.netpoll.http.ByteMutation;
import dev.netpoll.http.Segments;
import dev.netpoll.http.WireBytes;
import jakarta.servlet.MultipartConfigElement;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Fuzzes {@link MultipartParser} over bodies that arrive cut anywhere. Valid bodies from
 * {@link MultipartGrammar} must parse back to their parts, or fail with the size-limit
 * {@link IllegalStateException} exactly when a limit is passed; edited bodies must parse the same
 * whatever the cuts, failing only with its documented exceptions. No temporary file may outlive a
 * failed parse. README.md, "Fuzzing", says how to run it longer.
 */
class MultipartParserFuzzTest {

    private static final Path LOCATION = temporaryDirectory();
    private static final AtomicInteger CASES = new AtomicInteger();

    /** MultipartConfigElement's limits for one case; -1 is none. */
    record Limits(long maxFileSize, long maxRequestSize, int fileSizeThreshold) {
    }

    @Test
    void aValidBodyParsesBackToItsPartsWhateverTheSegmentation(TestInfo test) {
        FuzzRun.of(test).forAll(trial -> {
            MultipartSample sample = trial.draw("body", MultipartGrammar::body);
            Segments segments = trial.draw("segments", Segments::any);
            int threshold = trial.draw("threshold", MultipartParserFuzzTest::threshold);
            assertThat(MultipartParser.boundary(sample.contentType())).isEqualTo(sample.boundary());
            Object parsed = parse(sample.body(), sample.boundary(), segments, new Limits(-1, -1, threshold));
            assertThat(parsed).isEqualTo(sample.parts());
        });
    }

    @Test
    void aValidBodyFailsOnlyWhenItPassesALimit(TestInfo test) {
        FuzzRun.of(test).forAll(trial -> {
            MultipartSample sample = trial.draw("body", MultipartGrammar::body);
            Limits limits = trial.draw("limits", random -> limitsNear(random, sample));
            Segments segments = trial.draw("segments", Segments::any);
            Object parsed = parse(sample.body(), sample.boundary(), segments, limits);
            boolean fileTooLarge = limits.maxFileSize() >= 0
                    && sample.parts().stream().anyMatch(part -> part.content().length() > limits.maxFileSize());
            boolean requestTooLarge = limits.maxRequestSize() >= 0 && sample.delimited() > limits.maxRequestSize();
            if (fileTooLarge || requestTooLarge) {
                assertThat(parsed).asString().startsWith("IllegalStateException").contains("size exceeds the configured maximum");
            } else {
                assertThat(parsed).isEqualTo(sample.parts());
            }
        });
    }

    @Test
    void aMutatedBodyParsesTheSameWhateverTheSegmentationOrFailsAsDocumented(TestInfo test) {
        FuzzRun.of(test).forAll(trial -> {
            Mutant mutant = trial.draw("mutant", MultipartParserFuzzTest::mutant);
            Segments segments = trial.draw("segments", Segments::any);
            var limits = new Limits(-1, -1, 64);
            Object whole = parse(mutant.body.bytes(), mutant.boundary, Segments.whole(), limits);
            Object read = parse(mutant.body.bytes(), mutant.boundary, segments, limits);
            if (whole instanceof String failure) {
                assertThat(failure).startsWith("IOException: malformed multipart body: ");
            }
            assertThat(read).isEqualTo(whole);
        });
    }

    /** An edited body and the boundary of the body it was edited from. */
    record Mutant(WireBytes body, String boundary) {
    }

    /**
     * The parts read, or the failure as "SimpleClassName: message". Either way, no temporary file
     * is left behind once the parts are deleted.
     */
    private static Object parse(byte[] body, String boundary, Segments segments, Limits limits) {
        Path location = LOCATION.resolve("case-" + CASES.incrementAndGet());
        var config = new MultipartConfigElement(location.toString(), limits.maxFileSize(), limits.maxRequestSize(),
                limits.fileSizeThreshold());
        Object result = FuzzCase.within(() -> {
            List<MultipartPart> parts;
            try {
                parts = new MultipartParser(new SegmentedInputStream(body, segments), boundary, config, location).parse();
            } catch (IOException | IllegalStateException e) {
                return e.getClass().getSimpleName() + ": " + e.getMessage();
            }
            var read = new ArrayList<ReadPart>();
            for (MultipartPart part : parts) {
                read.add(ReadPart.of(part));
                part.delete();
            }
            return read;
        });
        assertThat(filesIn(location)).as("temporary files left").isEmpty();
        return result;
    }

    private static List<Path> filesIn(Path directory) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            List<Path> left = files.toList();
            Files.delete(directory);
            return left;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Limits near the sizes at stake, where an off-by-one would show; -1 one time in three. */
    private static Limits limitsNear(Random random, MultipartSample sample) {
        long largest = sample.parts().stream().mapToLong(part -> part.content().length()).max().orElse(0);
        long file = Draw.weighted(random, 1, 2) == 0 ? -1 : Draw.between(random, Math.max(0, largest - 2), largest + 2);
        long request = Draw.weighted(random, 1, 2) == 0 ? -1
                : Draw.between(random, Math.max(0, sample.delimited() - 3), sample.delimited() + 3L);
        return new Limits(file, request, threshold(random));
    }

    /** Every part on disk, parts on disk past a few bytes, every part in memory. */
    private static int threshold(Random random) {
        return Draw.oneOf(random, 0, 16, 1024 * 1024);
    }

    private static Mutant mutant(Random random) {
        MultipartSample sample = MultipartGrammar.body(random);
        String boundary = sample.boundary();
        List<String> dictionary = List.of("\r\n", "\r\n\r\n", "--", "--" + boundary, "\r\n--" + boundary, "--" + boundary + "--",
                "Content-Disposition: form-data; name=\"x\"\r\n", ";", "=", "\"", ":");
        return new Mutant(new WireBytes(ByteMutation.edit(random, dictionary, sample.body())), boundary);
    }

    private static Path temporaryDirectory() {
        try {
            Path directory = Files.createTempDirectory("netpoll-multipart-fuzz");
            // Each case removes its own directory; this one goes when the JVM ends.
            directory.toFile().deleteOnExit();
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
