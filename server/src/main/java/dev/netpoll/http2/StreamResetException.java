package dev.netpoll.http2;

import java.io.IOException;

/** A read or write on a stream that was reset (by the client's RST_STREAM, or by us). */
final class StreamResetException extends IOException {

    StreamResetException(int streamId, int code) {
        super("HTTP/2 stream " + streamId + " was reset (error code " + code + ")");
    }
}
