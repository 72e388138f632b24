package dev.netpoll.websocket;

import java.nio.ByteBuffer;

/**
 * The RFC 6455 frame rules checked on the raw bytes before Tyrus sees them: Tyrus' server side
 * accepts unmasked frames and reports some violations with the wrong close code (an oversized
 * frame as 1011), so every frame header is vetted here as it streams by. UTF-8 (1007) and message
 * assembly stay with Tyrus.
 *
 * <p>It also unmasks (section 5.3) as it goes, eight bytes at a time, and hands Tyrus each frame
 * as if unmasked (mask bit clear, no key): Tyrus' own unmasking goes byte by byte through a method
 * call each and was the largest single cost of a small echo. The rewrite is done in place, since
 * dropping the 4-byte key only ever moves bytes towards the start; only when a header straddles
 * two reads does the output go to a fresh array.
 *
 * <p>Owned by the session's task: it sees the bytes in order, across reads.
 */
final class FrameCheck {

    /** RFC 6455 section 7.4.1. */
    static final int PROTOCOL_ERROR = 1002;
    static final int CANNOT_ACCEPT = 1003;
    static final int INVALID_DATA = 1007;
    static final int TOO_BIG = 1009;

    private static final int OP_CONTINUATION = 0;
    private static final int OP_TEXT = 1;
    private static final int OP_BINARY = 2;

    private final boolean compressionNegotiated;
    /** Written by any thread ({@code Session.setMax*MessageBufferSize}); applies from the next frame. */
    private volatile long maxText;
    private volatile long maxBinary;
    /** The header being read: up to 2 + 8 (length) + 4 (mask) bytes. */
    private final byte[] head = new byte[14];
    private int headLength;
    private int headNeeded = 2;
    private long payloadLeft;
    /** The current frame's masking key as a big-endian long repeating it, rotated to the next payload byte. */
    private long maskWord;
    /** Opcode of the fragmented message in progress, or -1 between messages. */
    private int messageOpcode = -1;
    private long messageSize;
    private int closeCode;
    private String reason;
    /** Whether the header of a close frame went by: the client's half of the closing handshake. */
    private boolean closeFrameSeen;

    FrameCheck(boolean compressionNegotiated, long maxText, long maxBinary) {
        this.compressionNegotiated = compressionNegotiated;
        this.maxText = maxText;
        this.maxBinary = maxBinary;
    }

    /** Changes the message size limits (any thread). */
    void limits(long text, long binary) {
        maxText = text;
        maxBinary = binary;
    }

    /**
     * Records a violation found above this layer (invalid UTF-8, a bad close frame) so that the
     * session's task fails the connection with {@code code} as for one found here. It takes the
     * place of one found here: the frames handed on all came before that. Task only.
     */
    void violation(int code, String why) {
        fail(code, why);
    }

    /** Whether {@link #scan} found a violation: nothing after it is scanned or delivered. */
    boolean violated() {
        return closeCode != 0;
    }

    /** The close code of the violation found, once {@link #violated}. */
    int closeCode() {
        return closeCode;
    }

    String reason() {
        return reason;
    }

    boolean closeFrameSeen() {
        return closeFrameSeen;
    }

    /**
     * Vets and unmasks {@code data[position, limit)}: returns the bytes to hand Tyrus (a view of
     * {@code data} or, when a header began in an earlier read, a new buffer). At a violation it
     * stops and returns the frames before the bad one, which are valid and whole (a header is
     * emitted only once vetted, and only after the previous payload ended), and
     * {@link #violated} turns true. Header bytes of a frame whose header has not fully arrived are
     * held back.
     */
    ByteBuffer scan(ByteBuffer data) {
        ByteBuffer out = headLength == 0 ? data : ByteBuffer.allocate(data.remaining() + head.length);
        int from = out == data ? data.position() : 0;
        int o = from;
        int i = data.position();
        int end = data.limit();
        while (i < end && !violated()) {
            if (payloadLeft > 0) {
                int n = (int) Math.min(payloadLeft, end - i);
                unmask(data, i, out, o, n);
                i += n;
                o += n;
                payloadLeft -= n;
                continue;
            }
            head[headLength++] = data.get(i++);
            if (headLength == 2) {
                // Section 5.1: the server closes the connection on an unmasked client frame.
                if ((head[1] & 0x80) == 0) {
                    fail(PROTOCOL_ERROR, "client frames must be masked");
                    break;
                }
                int code = head[1] & 0x7F;
                headNeeded = 2 + (code == 126 ? 2 : code == 127 ? 8 : 0) + 4;
            }
            if (headLength == headNeeded) {
                if (!frame()) {
                    break;
                }
                o = emitUnmaskedHeader(out, o);
                headLength = 0;
                headNeeded = 2;
            }
        }
        return out.slice(from, o - from);
    }

    /** Writes the header without its key (mask bit clear) at {@code o}; returns the index after it. */
    private int emitUnmaskedHeader(ByteBuffer out, int o) {
        int keyAt = headNeeded - 4;
        out.put(o, head[0]);
        out.put(o + 1, (byte) (head[1] & 0x7F));
        for (int k = 2; k < keyAt; k++) {
            out.put(o + k, head[k]);
        }
        long key = ((head[keyAt] & 0xFFL) << 24) | ((head[keyAt + 1] & 0xFFL) << 16) | ((head[keyAt + 2] & 0xFFL) << 8)
                | (head[keyAt + 3] & 0xFFL);
        maskWord = (key << 32) | key;
        return o + keyAt;
    }

    /**
     * XORs {@code n} payload bytes from {@code in[i..]} into {@code out[o..]} ({@code o <= i} when
     * they are the same buffer: a long is read before it is written over), advancing the key.
     */
    private void unmask(ByteBuffer in, int i, ByteBuffer out, int o, int n) {
        long word = maskWord;
        int k = 0;
        for (; k + 8 <= n; k += 8) {
            out.putLong(o + k, in.getLong(i + k) ^ word);
        }
        for (; k < n; k++) {
            out.put(o + k, (byte) (in.get(i + k) ^ (word >>> 56)));
            word = Long.rotateLeft(word, 8);
        }
        maskWord = word;
    }

    private boolean frame() {
        boolean fin = (head[0] & 0x80) != 0;
        int rsv = (head[0] >> 4) & 0x07;
        int opcode = head[0] & 0x0F;
        long length = payloadLength();
        if (length < 0) {
            return fail(PROTOCOL_ERROR, "payload length with the most significant bit set");
        }
        boolean control = opcode >= 8;
        // Section 5.2: reserved opcodes and bits fail the connection. RSV1 marks a compressed
        // message (RFC 7692 section 6): only on its first frame and only when negotiated.
        if ((opcode > OP_BINARY && opcode < 8) || opcode > 10) {
            return fail(PROTOCOL_ERROR, "reserved opcode " + opcode);
        }
        if ((rsv & 0x03) != 0 || (rsv != 0 && (!compressionNegotiated || control || opcode == OP_CONTINUATION))) {
            return fail(PROTOCOL_ERROR, "reserved bits set without an extension that defines them");
        }
        if (control) {
            // Section 5.5: control frames are never fragmented and carry at most 125 bytes.
            if (!fin) {
                return fail(PROTOCOL_ERROR, "fragmented control frame");
            }
            if (length > 125) {
                return fail(PROTOCOL_ERROR, "control frame payload longer than 125 bytes");
            }
            closeFrameSeen |= opcode == 8;
        } else if (opcode == OP_CONTINUATION) {
            // Section 5.4: a continuation needs a message to continue.
            if (messageOpcode < 0) {
                return fail(PROTOCOL_ERROR, "continuation frame without a message to continue");
            }
            messageSize += length;
            if (!withinLimit(messageOpcode)) {
                return false;
            }
            if (fin) {
                messageOpcode = -1;
            }
        } else {
            if (messageOpcode >= 0) {
                return fail(PROTOCOL_ERROR, "new data frame before the fragmented message ended");
            }
            messageSize = length;
            if (!withinLimit(opcode)) {
                return false;
            }
            messageOpcode = fin ? -1 : opcode;
        }
        payloadLeft = length;
        return true;
    }

    private boolean withinLimit(int opcode) {
        long max = opcode == OP_TEXT ? maxText : maxBinary;
        if (messageSize > max) {
            return fail(TOO_BIG, (opcode == OP_TEXT ? "text" : "binary") + " message larger than " + max + " bytes");
        }
        return true;
    }

    private long payloadLength() {
        int code = head[1] & 0x7F;
        if (code < 126) {
            return code;
        }
        if (code == 126) {
            return ((head[2] & 0xFF) << 8) | (head[3] & 0xFF);
        }
        long length = 0;
        for (int k = 2; k < 10; k++) {
            length = (length << 8) | (head[k] & 0xFF);
        }
        return length;
    }

    private boolean fail(int code, String why) {
        closeCode = code;
        reason = why;
        return false;
    }
}
