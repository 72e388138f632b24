package dev.netpoll.servlet;

import dev.netpoll.http.JavaLiteral;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** One part as a value: name, file name, headers as sent, content as ISO-8859-1 text. */
record ReadPart(String name, String fileName, Map<String, List<String>> headers, String content) {

    static ReadPart of(MultipartPart part) throws IOException {
        var headers = new java.util.LinkedHashMap<String, List<String>>();
        for (String name : part.getHeaderNames()) {
            headers.put(name, List.copyOf(part.getHeaders(name)));
        }
        return new ReadPart(part.getName(), part.getSubmittedFileName(), headers,
                new String(part.bytes(), StandardCharsets.ISO_8859_1));
    }

    @Override
    public String toString() {
        return "part " + name + " file " + fileName + " " + headers + " "
                + JavaLiteral.of(content.getBytes(StandardCharsets.ISO_8859_1));
    }
}
