package dev.netpoll.servlet;

import dev.netpoll.http.JavaLiteral;
import java.util.List;

/**
 * A {@code multipart/form-data} body as the grammar wrote it: its Content-Type, the parts it
 * carries, and how many bytes up to the end of its close delimiter (the epilogue is not read).
 */
record MultipartSample(String contentType, String boundary, byte[] body, List<ReadPart> parts, int delimited) {

    @Override
    public String toString() {
        return contentType + " " + JavaLiteral.of(body);
    }
}
