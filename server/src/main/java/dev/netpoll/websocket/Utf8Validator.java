package dev.netpoll.websocket;

import java.nio.ByteBuffer;

/**
 * Strict, incremental UTF-8 validation (RFC 3629, as RFC 6455 section 8.1 requires of text
 * messages and close reasons): overlong forms, surrogates and code points past U+10FFFF fail, and
 * a sequence may be split across frames. {@link #pending} says how many bytes at the end of what
 * was fed so far begin a character still incomplete, so that a partial message can be decoded up
 * to its last whole character.
 *
 * <p>Owned by one reader (a session's task); {@link #reset} between messages.
 */
final class Utf8Validator {

    /** Continuation bytes the current character still needs. */
    private int needed;
    /** Bytes of the current character seen so far (its lead byte included). */
    private int seen;
    /** Allowed range of the next continuation byte (narrower after E0, ED, F0, F4). */
    private int low = 0x80;
    private int high = 0xBF;
    private boolean failed;

    /** Feeds {@code length} bytes of {@code data} at {@code offset}; false once invalid. */
    boolean feed(byte[] data, int offset, int length) {
        for (int i = offset, end = offset + length; i < end && !failed; i++) {
            step(data[i] & 0xFF);
        }
        return !failed;
    }

    /** Feeds the remaining bytes of {@code data} without moving its position; false once invalid. */
    boolean feed(ByteBuffer data) {
        for (int i = data.position(), end = data.limit(); i < end && !failed; i++) {
            step(data.get(i) & 0xFF);
        }
        return !failed;
    }

    private void step(int b) {
        if (needed == 0) {
            if (b < 0x80) {
                return;
            }
            seen = 1;
            low = 0x80;
            high = 0xBF;
            if (b >= 0xC2 && b <= 0xDF) {
                needed = 1;
            } else if (b >= 0xE0 && b <= 0xEF) {
                needed = 2;
                if (b == 0xE0) {
                    low = 0xA0; // overlong below U+0800
                } else if (b == 0xED) {
                    high = 0x9F; // UTF-16 surrogates
                }
            } else if (b >= 0xF0 && b <= 0xF4) {
                needed = 3;
                if (b == 0xF0) {
                    low = 0x90; // overlong below U+10000
                } else if (b == 0xF4) {
                    high = 0x8F; // past U+10FFFF
                }
            } else {
                failed = true; // continuation byte without a lead, C0/C1 (overlong), F5..FF
            }
            return;
        }
        if (b < low || b > high) {
            failed = true;
            return;
        }
        low = 0x80;
        high = 0xBF;
        needed--;
        seen = needed == 0 ? 0 : seen + 1;
    }

    /** Whether everything fed so far is valid and ends on a whole character. */
    boolean complete() {
        return !failed && needed == 0;
    }

    /** Bytes at the end of the input fed so far that begin a character not yet complete. */
    int pending() {
        return needed == 0 ? 0 : seen;
    }

    void reset() {
        needed = 0;
        seen = 0;
        low = 0x80;
        high = 0xBF;
        failed = false;
    }

    /** Whether {@code length} bytes of {@code data} at {@code offset} are valid, whole UTF-8. */
    static boolean valid(byte[] data, int offset, int length) {
        int i = offset;
        int end = offset + length;
        while (i < end && data[i] >= 0) {
            i++; // ASCII, the common case
        }
        if (i == end) {
            return true;
        }
        var validator = new Utf8Validator();
        return validator.feed(data, i, end - i) && validator.complete();
    }
}
