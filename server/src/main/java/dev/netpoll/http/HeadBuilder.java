package dev.netpoll.http;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** Appends the ASCII of a response head to a growing byte array. Single-use, one task. */
final class HeadBuilder {

    private byte[] bytes;
    private int size;

    HeadBuilder(int capacity) {
        bytes = new byte[capacity];
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }

    HeadBuilder ascii(String text) {
        return latin1(text);
    }

    /** Characters above 0xFF become '?': a header value is Latin-1 on the wire. */
    HeadBuilder latin1(String text) {
        int n = text.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            bytes[size++] = c <= 0xFF ? (byte) c : (byte) '?';
        }
        return this;
    }

    /** A non-negative decimal number, without going through a String. */
    HeadBuilder number(long value) {
        int digits = 1;
        for (long v = value; v >= 10; v /= 10) {
            digits++;
        }
        ensure(digits);
        for (int i = size + digits - 1; i >= size; i--) {
            bytes[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        size += digits;
        return this;
    }

    HeadBuilder bytes(byte[] more) {
        ensure(more.length);
        System.arraycopy(more, 0, bytes, size, more.length);
        size += more.length;
        return this;
    }

    HeadBuilder crlf() {
        ensure(2);
        bytes[size++] = '\r';
        bytes[size++] = '\n';
        return this;
    }

    /** The head's length in bytes. */
    int size() {
        return size;
    }

    /** The head as a buffer over the builder's own array, without a copy. */
    ByteBuffer asBuffer() {
        return ByteBuffer.wrap(bytes, 0, size);
    }

    /** Copies the head into {@code into} at {@code index}. */
    void copyTo(ByteBuffer into, int index) {
        into.put(index, bytes, 0, size);
    }
}
