package dev.netpoll.servlet;

import jakarta.servlet.MultipartConfigElement;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Streams a {@code multipart/form-data} body (RFC 7578, RFC 2046 section 5.1) into parts. Part
 * content is kept in memory up to the configuration's file-size threshold and written to a
 * temporary file in its location beyond it, so a 50 MB upload never sits in the heap. Limits give
 * {@link IllegalStateException}s whose messages Spring maps to 413 ("... size exceeds ...").
 * Single use, on the request's task.
 */
final class MultipartParser {

    private static final int MAX_PART_HEADERS = 16 * 1024;

    private final InputStream in;
    private final byte[] delimiter;
    private final MultipartConfigElement config;
    private final Path location;
    private final byte[] window = new byte[64 * 1024];
    private int start;
    private int end;
    private long total;

    MultipartParser(InputStream body, String boundary, MultipartConfigElement config, Path location) {
        this.in = body;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        this.config = config;
        this.location = location;
        // The first delimiter has no CRLF before it: start as if one had been read.
        window[0] = '\r';
        window[1] = '\n';
        end = 2;
        // Those two bytes are not the client's: they do not count against the request size.
        total = -2;
    }

    /** The boundary parameter of a multipart Content-Type, or null. */
    static String boundary(String contentType) {
        String value = ContentType.parameter(contentType, "boundary");
        // RFC 2046 section 5.1.1: 1 to 70 characters.
        return value == null || value.isEmpty() || value.length() > 70 ? null : value;
    }

    List<MultipartPart> parse() throws IOException {
        List<MultipartPart> parts = new ArrayList<>();
        try {
            copyUntilDelimiter(OutputStream.nullOutputStream(), Long.MAX_VALUE); // preamble
            while (true) {
                int a = next();
                int b = next();
                if (a == '-' && b == '-') {
                    return parts; // close delimiter; the epilogue is ignored
                }
                while (a == ' ' || a == '\t') { // transport padding
                    a = b;
                    b = next();
                }
                if (a != '\r' || b != '\n') {
                    throw new IOException("malformed multipart body: no line break after a boundary");
                }
                parts.add(part());
            }
        } catch (IOException | RuntimeException e) {
            for (MultipartPart part : parts) {
                part.delete();
            }
            throw e;
        }
    }

    private MultipartPart part() throws IOException {
        Map<String, List<String>> headers = headers();
        String disposition = first(headers, "Content-Disposition");
        String name = disposition == null ? null : parameter(disposition, "name");
        if (name == null) {
            throw new IOException("malformed multipart body: a part without Content-Disposition name");
        }
        String fileName = parameter(disposition, "filename");
        long maxFile = config.getMaxFileSize();
        var sink = new ThresholdSink(Math.max(0, config.getFileSizeThreshold()), location);
        try {
            long size = copyUntilDelimiter(sink, maxFile < 0 ? Long.MAX_VALUE : maxFile);
            if (size < 0) {
                throw new IllegalStateException("the file size exceeds the configured maximum of " + maxFile
                        + " bytes for part '" + name + "'");
            }
            sink.close();
            return new MultipartPart(headers, name, fileName, sink.memory(), sink.file(), size, location);
        } catch (IOException | RuntimeException e) {
            sink.discard();
            throw e;
        }
    }

    private Map<String, List<String>> headers() throws IOException {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        var line = new ByteArrayOutputStream();
        int read = 0;
        while (true) {
            int c = next();
            if (++read > MAX_PART_HEADERS) {
                throw new IOException("malformed multipart body: part headers too large");
            }
            if (c == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                if (length == 0) {
                    return headers;
                }
                String text = new String(bytes, 0, length, StandardCharsets.UTF_8);
                int colon = text.indexOf(':');
                if (colon <= 0) {
                    throw new IOException("malformed multipart body: bad part header");
                }
                headers.computeIfAbsent(text.substring(0, colon).trim(), k -> new ArrayList<>()).add(text.substring(colon + 1).trim());
                line.reset();
            } else {
                line.write(c);
            }
        }
    }

    private static String first(Map<String, List<String>> headers, String name) {
        for (var entry : headers.entrySet()) {
            if (entry.getKey().equalsIgnoreCase(name)) {
                return entry.getValue().get(0);
            }
        }
        return null;
    }

    /** A parameter of a Content-Disposition value, quoted or not. */
    static String parameter(String disposition, String name) {
        int i = 0;
        while (i < disposition.length()) {
            int semicolon = disposition.indexOf(';', i);
            if (semicolon < 0) {
                return null;
            }
            int equals = disposition.indexOf('=', semicolon);
            if (equals < 0) {
                return null;
            }
            String key = disposition.substring(semicolon + 1, equals).trim();
            int valueStart = equals + 1;
            String value;
            int next;
            if (valueStart < disposition.length() && disposition.charAt(valueStart) == '"') {
                var text = new StringBuilder();
                int j = valueStart + 1;
                for (; j < disposition.length() && disposition.charAt(j) != '"'; j++) {
                    char c = disposition.charAt(j);
                    if (c == '\\' && j + 1 < disposition.length()) {
                        c = disposition.charAt(++j);
                    }
                    text.append(c);
                }
                value = text.toString();
                next = j + 1;
            } else {
                int stop = disposition.indexOf(';', valueStart);
                next = stop < 0 ? disposition.length() : stop;
                value = disposition.substring(valueStart, next).trim();
            }
            if (key.equalsIgnoreCase(name)) {
                return value;
            }
            i = next;
        }
        return null;
    }

    /**
     * Copies bytes to {@code sink} up to the next delimiter, which is consumed. Returns the count,
     * or -1 once more than {@code limit} bytes came (the rest is then skipped).
     */
    private long copyUntilDelimiter(OutputStream sink, long limit) throws IOException {
        long copied = 0;
        boolean over = false;
        while (true) {
            int found = indexOf(delimiter, start, end);
            int safe = found >= 0 ? found : Math.max(start, end - delimiter.length + 1);
            int n = safe - start;
            if (n > 0) {
                if (!over) {
                    if (copied + n > limit) {
                        over = true;
                    } else {
                        sink.write(window, start, n);
                    }
                }
                copied += n;
                count(n);
                start = safe;
            }
            if (found >= 0) {
                start = found + delimiter.length;
                count(delimiter.length);
                return over ? -1 : copied;
            }
            if (!fill()) {
                throw new IOException("malformed multipart body: it ended before its closing boundary");
            }
        }
    }

    private void count(int n) {
        total += n;
        long max = config.getMaxRequestSize();
        if (max >= 0 && total > max) {
            throw new IllegalStateException("the request size exceeds the configured maximum of " + max + " bytes");
        }
    }

    private int indexOf(byte[] pattern, int from, int to) {
        outer:
        for (int i = from; i <= to - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (window[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private int next() throws IOException {
        if (start == end && !fill()) {
            throw new IOException("malformed multipart body: it ended inside a part");
        }
        count(1);
        return window[start++] & 0xFF;
    }

    /** Compacts and reads more; false at end of stream. */
    private boolean fill() throws IOException {
        if (start > 0) {
            System.arraycopy(window, start, window, 0, end - start);
            end -= start;
            start = 0;
        }
        int n = in.read(window, end, window.length - end);
        if (n < 0) {
            return false;
        }
        end += n;
        return true;
    }

    /** Memory up to the threshold, then a temporary file. */
    private static final class ThresholdSink extends OutputStream {

        private final long threshold;
        private final Path location;
        private ByteArrayOutputStream memory = new ByteArrayOutputStream();
        private Path file;
        private OutputStream fileOut;

        ThresholdSink(long threshold, Path location) {
            this.threshold = threshold;
            this.location = location;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (fileOut == null && memory.size() + len > threshold) {
                Files.createDirectories(location);
                file = Files.createTempFile(location, "netpoll-upload-", ".part");
                fileOut = new java.io.BufferedOutputStream(Files.newOutputStream(file), 64 * 1024);
                memory.writeTo(fileOut);
                memory = null;
            }
            if (fileOut != null) {
                fileOut.write(b, off, len);
            } else {
                memory.write(b, off, len);
            }
        }

        @Override
        public void close() throws IOException {
            if (fileOut != null) {
                fileOut.close();
            }
        }

        byte[] memory() {
            return memory == null ? null : memory.toByteArray();
        }

        Path file() {
            return file;
        }

        void discard() throws IOException {
            close();
            if (file != null) {
                Files.deleteIfExists(file);
            }
        }
    }
}
