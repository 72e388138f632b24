package dev.netpoll.http2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netpoll.fuzz.Draw;
import dev.netpoll.fuzz.FuzzRun;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Whatever fields the encoder is given (static-table names or not, any Latin-1 octets, long
 * values that need multi-byte integers), the decoder reads back exactly those fields; and the
 * decoder, fed random edits of a valid block, either decodes or refuses with an HpackException,
 * never another exception.
 */
class HpackRoundTripFuzzTest {

    private static final List<String> NAMES = List.of("content-type", "set-cookie", "date", "x-trace", "server",
            "cache-control", "etag", "vary", "link", "location");

    private static List<String[]> fields(Random random) {
        return Draw.list(random, 0, 20, r -> new String[] {
            Draw.weighted(r, 3, 1) == 0 ? Draw.oneOf(r, NAMES) : Draw.string(r, Draw.chars('a', 'z') + "-_0123456789", 1, 40),
            Draw.weighted(r, 3, 1, 1) == 0 ? Draw.string(r, Draw.chars(' ', '~'), 0, 60)
                    : Draw.weighted(r, 1, 1) == 0 ? Draw.string(r, Draw.chars((char) 0, (char) 255), 0, 300)
                    : "",
        });
    }

    @Test
    void encodedFieldsDecodeToThemselves(TestInfo test) {
        FuzzRun.of(test).forAll(trial -> {
            List<String[]> fields = trial.draw("fields", HpackRoundTripFuzzTest::fields);
            int status = trial.draw("status", r -> Draw.oneOf(r, 200, 204, 302, 404, 500, 999, 101));
            var block = new HeaderBlock(64);
            HpackEncoder.status(status, block);
            for (String[] f : fields) {
                HpackEncoder.field(f[0], f[1], block);
            }
            List<String> decoded = new ArrayList<>();
            new HpackDecoder(4096).decode(block.bytes, block.length, Long.MAX_VALUE, (n, v) -> decoded.add(n + "=" + v));
            List<String> expected = new ArrayList<>();
            expected.add(":status=" + status);
            fields.forEach(f -> expected.add(f[0] + "=" + f[1]));
            assertThat(decoded).isEqualTo(expected);
        });
    }

    @Test
    void anEditedBlockDecodesOrFailsCleanly(TestInfo test) {
        FuzzRun.of(test).forAll(trial -> {
            List<String[]> fields = trial.draw("fields", HpackRoundTripFuzzTest::fields);
            var block = new HeaderBlock(64);
            block.put(0x40);
            HpackEncoder.writeString("k", block);
            HpackEncoder.writeString("v", block);
            for (String[] f : fields) {
                HpackEncoder.field(f[0], f[1], block);
            }
            int edits = trial.draw("edits", r -> Draw.between(r, 1, 4));
            long seed = trial.draw("seed", Random::nextLong);
            var random = new Random(seed);
            for (int i = 0; i < edits && block.length > 0; i++) {
                block.bytes[random.nextInt(block.length)] = (byte) random.nextInt(256);
            }
            var decoder = new HpackDecoder(4096);
            try {
                decoder.decode(block.bytes, block.length, 64 * 1024, (n, v) -> { });
            } catch (HpackException expected) {
                // a decoding error, as it should be
            }
            assertThat(decoder.table().size()).isLessThanOrEqualTo(4096);
        });
    }
}
