package dev.netpoll.http2;

import java.util.Arrays;

/**
 * A growable byte array that a header block (or any frame payload) is written into. Owned by
 * the task that builds it.
 */
final class HeaderBlock {

    byte[] bytes;
    int length;

    HeaderBlock(int capacity) {
        bytes = new byte[capacity];
    }

    void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }

    void put(int b) {
        ensure(1);
        bytes[length++] = (byte) b;
    }
}
