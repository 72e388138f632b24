package dev.netpoll.http2;

/** Big-endian fields of frame headers and payloads (RFC 9113 section 4.1: network byte order). */
final class Frames {

    private Frames() {
    }

    static int int32(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | b[at + 3] & 0xFF;
    }

    /** A 31-bit stream id or window increment: the reserved top bit is ignored. */
    static int int31(byte[] b, int at) {
        return int32(b, at) & 0x7FFFFFFF;
    }

    /** Writes a frame header: 24-bit length, type, flags, 31-bit stream id. */
    static void header(byte[] into, int at, int length, int type, int flags, int streamId) {
        into[at] = (byte) (length >>> 16);
        into[at + 1] = (byte) (length >>> 8);
        into[at + 2] = (byte) length;
        into[at + 3] = (byte) type;
        into[at + 4] = (byte) flags;
        into[at + 5] = (byte) (streamId >>> 24 & 0x7F);
        into[at + 6] = (byte) (streamId >>> 16);
        into[at + 7] = (byte) (streamId >>> 8);
        into[at + 8] = (byte) streamId;
    }

    static void putInt32(byte[] into, int at, int value) {
        into[at] = (byte) (value >>> 24);
        into[at + 1] = (byte) (value >>> 16);
        into[at + 2] = (byte) (value >>> 8);
        into[at + 3] = (byte) value;
    }
}
