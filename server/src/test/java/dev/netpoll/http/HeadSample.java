package dev.netpoll.http;

/** A request head as the grammar wrote it, and what the engine must read from it. */
record HeadSample(byte[] bytes, ParsedHead expected) {

    @Override
    public String toString() {
        return JavaLiteral.of(bytes);
    }
}
