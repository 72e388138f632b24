package dev.netpoll.http;

/** Bytes a client sent; shown as a Java literal, so that a failing fuzz sample pastes into a test. */
public record WireBytes(byte[] bytes) {

    @Override
    public String toString() {
        return JavaLiteral.of(bytes);
    }
}
