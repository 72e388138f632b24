package dev.netpoll.http2;

/** Big-endian fields of frame payloads (RFC 9113 section 4.1: network byte order). */
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
}
