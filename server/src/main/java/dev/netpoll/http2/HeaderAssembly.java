package dev.netpoll.http2;

/**
 * Puts a header block together from a HEADERS frame and the CONTINUATION frames that follow it
 * (RFC 9113 sections 4.3, 6.2 and 6.10), stripping padding and the deprecated priority fields.
 * The block is bounded in bytes and in frames (CVE-2024-27316: a CONTINUATION flood, empty
 * frames included, ends the connection with ENHANCE_YOUR_CALM rather than growing without end).
 * Owned by the connection's reading task; one block at a time.
 */
final class HeaderAssembly {

    final HeaderBlock block = new HeaderBlock(1024);
    private final int maxBytes;
    private final int maxFrames;
    /** The stream whose block is being assembled; 0 when none is. */
    private int stream;
    private int flags;
    private int frames;
    private boolean dependsOnItself;

    HeaderAssembly(int maxBytes) {
        this.maxBytes = maxBytes;
        this.maxFrames = 2 + maxBytes / 1024;
    }

    /** Whether a block is open: until END_HEADERS no other frame may come (section 6.10). */
    boolean inProgress() {
        return stream != 0;
    }

    /** A HEADERS frame (stream id checked by the caller); returns whether the block is complete. */
    boolean headers(FrameReader reader) throws Http2Exception {
        int length = reader.length;
        int from = 0;
        int to = length;
        if ((reader.flags & Frame.FLAG_PADDED) != 0) {
            int pad = length == 0 ? Integer.MAX_VALUE : reader.payload[0] & 0xFF;
            from = 1;
            to = length - pad;
        }
        dependsOnItself = false;
        if ((reader.flags & Frame.FLAG_PRIORITY) != 0) {
            if (length - from < 5) {
                throw Http2Exception.connection(ErrorCode.FRAME_SIZE_ERROR, "HEADERS too short for its priority (section 6.2)");
            }
            dependsOnItself = Frames.int31(reader.payload, from) == reader.streamId;
            from += 5;
        }
        if (to < from) {
            throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, "HEADERS padding longer than the frame (section 6.2)");
        }
        block.length = 0;
        stream = reader.streamId;
        flags = reader.flags;
        frames = 1;
        append(reader, from, to);
        return (reader.flags & Frame.FLAG_END_HEADERS) != 0;
    }

    /** A CONTINUATION frame; returns whether the block is complete. */
    boolean continuation(FrameReader reader) throws Http2Exception {
        if (stream == 0 || reader.streamId != stream) {
            throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, "CONTINUATION without a HEADERS on stream "
                    + reader.streamId + " before it (section 6.10)");
        }
        if (++frames > maxFrames) {
            throw Http2Exception.connection(ErrorCode.ENHANCE_YOUR_CALM, "header block split into " + frames + " frames");
        }
        append(reader, 0, reader.length);
        return (reader.flags & Frame.FLAG_END_HEADERS) != 0;
    }

    private void append(FrameReader reader, int from, int to) throws Http2Exception {
        int n = to - from;
        if (block.length + n > maxBytes) {
            throw Http2Exception.connection(ErrorCode.ENHANCE_YOUR_CALM, "header block larger than " + maxBytes + " bytes");
        }
        block.ensure(n);
        System.arraycopy(reader.payload, from, block.bytes, block.length, n);
        block.length += n;
    }

    /** Closes the complete block; returns its stream. */
    int finish() {
        int id = stream;
        stream = 0;
        return id;
    }

    boolean endsStream() {
        return (flags & Frame.FLAG_END_STREAM) != 0;
    }

    /** Whether the HEADERS frame made its stream depend on itself (section 5.3.1). */
    boolean dependsOnItself() {
        return dependsOnItself;
    }
}
