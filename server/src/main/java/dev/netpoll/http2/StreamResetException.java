package dev.netpoll.http2;

import dev.netpoll.http.ClientAbortException;

/**
 * A read or write on a stream that was reset (by the client's RST_STREAM, or by us): either way
 * nobody reads the stream's answer any more, which is how the servlet layer treats it.
 */
final class StreamResetException extends ClientAbortException {

    StreamResetException(int streamId, int code) {
        super("HTTP/2 stream " + streamId + " was reset (error code " + code + ")");
    }
}
