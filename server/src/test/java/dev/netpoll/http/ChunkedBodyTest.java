package dev.netpoll.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Examples the fuzz tests found in chunked decoding, kept as plain tests. */
class ChunkedBodyTest {

    @Test
    void aChunkExtensionWithoutANameIsRefused() {
        assertRefused("1;\r\nx\r\n0\r\n\r\n");
    }

    @Test
    void aChunkExtensionWithAnUnterminatedQuotedValueIsRefused() {
        assertRefused("1;a=\"b\r\nx\r\n0\r\n\r\n");
    }

    @Test
    void aChunkExtensionWithANameThatIsNotATokenIsRefused() {
        assertRefused("1;a@b\r\nx\r\n0\r\n\r\n");
    }

    @Test
    void wellFormedChunkExtensionsAreIgnored() throws Exception {
        var input = input("1 ; a ; b = c;d=\"e\\\"f; g\"\r\nx\r\n0;z\r\n\r\n");
        var body = new ChunkedBody(input, -1, 1024, new HttpHeaders(), BodyStart.NONE);
        assertThat(body.readAllBytes()).containsExactly('x');
    }

    @Test
    void whitespaceAfterTheChunkSizeCountsTowardsTheLineLimit() {
        // Endless blanks after a size kept the server reading (each byte renewing the read timeout).
        assertRefused("5" + " ".repeat(10_000) + "\r\nhello\r\n0\r\n\r\n");
    }

    @Test
    void chunkLinesFarOutweighingTheirDataAreRefused() {
        // 1-byte chunks with 4 KB extensions: each line is within its limit, but 100 of them make
        // 400 KB read (and, for a body the handler leaves unread, drained) for 100 bytes of data.
        String chunk = "1;" + "e".repeat(4000) + "\r\nx\r\n";
        assertRefused(chunk.repeat(100) + "0\r\n\r\n");
    }

    @Test
    void manySmallChunksWithShortExtensionsAreStillRead() throws Exception {
        String chunk = "1;name=value\r\nx\r\n";
        var body = new ChunkedBody(input(chunk.repeat(10_000) + "0\r\n\r\n"), -1, 1024, new HttpHeaders(), BodyStart.NONE);
        assertThat(body.readAllBytes()).hasSize(10_000);
    }

    private static void assertRefused(String encoding) {
        var body = new ChunkedBody(input(encoding), -1, 1024, new HttpHeaders(), BodyStart.NONE);
        assertThatExceptionOfType(BodyException.class).isThrownBy(body::readAllBytes)
                .satisfies(e -> assertThat(e.status()).isEqualTo(400));
    }

    private static ConnInput input(String encoding) {
        return new ConnInput(new SegmentedConn(encoding.getBytes(StandardCharsets.ISO_8859_1), Segments.whole()),
                ConnectionReplay.POOL, ConnectionReplay.CONFIG);
    }
}
