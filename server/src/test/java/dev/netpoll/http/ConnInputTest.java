package dev.netpoll.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netpoll.http.ConnectionReplay.Transcript;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Examples the fuzz tests found in reading request heads, kept as plain tests. */
class ConnInputTest {

    @Test
    void aHeadAfterTwoEmptyLinesIsRead() throws Exception {
        // RFC 9112 section 2.2: empty lines before the request line are ignored, and RequestParser
        // skips any number; the two CRLFs must not read as the end of an empty head.
        Transcript read = ConnectionReplay.firstHead(bytes("\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"), Segments.whole());
        assertThat(read.ending()).isEqualTo("head read");
        assertThat(read.requests().get(0).head().method()).isEqualTo("GET");
    }

    @Test
    void aPipelinedHeadThatStraddlesTheEndOfAFullBufferIsRead() throws Exception {
        // Two heads of 290 bytes in a 512-byte buffer: the second one's end arrives after the
        // buffer was compacted, and must still be found.
        String head = headOfLength(290);
        Transcript read = ConnectionReplay.replay(bytes(head + head), Segments.whole());
        assertThat(read.requests()).hasSize(2);
        assertThat(read.ending()).isEqualTo("end of stream");
    }

    private static String headOfLength(int length) {
        String start = "GET / HTTP/1.1\r\nHost: a\r\nX-Pad: ";
        return start + "p".repeat(length - start.length() - 4) + "\r\n\r\n";
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
