package dev.netpoll.http;

import java.util.List;

/** A chunked encoding as the grammar wrote it, with the data and trailer fields it carries. */
record ChunkedSample(byte[] encoded, byte[] data, List<String> trailers) {

    @Override
    public String toString() {
        return JavaLiteral.of(encoded);
    }
}
