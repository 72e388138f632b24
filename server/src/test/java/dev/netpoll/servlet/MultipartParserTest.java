package dev.netpoll.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netpoll.http.Segments;
import jakarta.servlet.MultipartConfigElement;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Examples the fuzz tests found in multipart parsing, kept as plain tests. */
class MultipartParserTest {

    @TempDir
    Path location;

    @Test
    void aBodyOfExactlyTheMaximumRequestSizeIsAccepted() throws Exception {
        byte[] body = "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--b--".getBytes(StandardCharsets.ISO_8859_1);
        var config = new MultipartConfigElement(location.toString(), -1, body.length, 1024);
        var parts = new MultipartParser(new SegmentedInputStream(body, Segments.whole()), "b", config, location).parse();
        assertThat(parts).extracting(MultipartPart::getName).containsExactly("a");
        assertThat(Files.list(location)).isEmpty();
    }
}
