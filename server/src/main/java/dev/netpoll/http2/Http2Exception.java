package dev.netpoll.http2;

/**
 * A protocol error (RFC 9113 section 5.4): a stream error ends one stream with RST_STREAM, a
 * connection error (stream 0) ends the connection with GOAWAY. The message names the rule.
 */
final class Http2Exception extends Exception {

    private final int code;
    private final int streamId;

    private Http2Exception(int code, int streamId, String message) {
        super(message, null, false, false);
        this.code = code;
        this.streamId = streamId;
    }

    static Http2Exception connection(int code, String message) {
        return new Http2Exception(code, 0, message);
    }

    static Http2Exception stream(int streamId, int code, String message) {
        return new Http2Exception(code, streamId, message);
    }

    int code() {
        return code;
    }

    /** The stream a stream error ends; 0 for a connection error. */
    int streamId() {
        return streamId;
    }

    boolean isConnectionError() {
        return streamId == 0;
    }
}
