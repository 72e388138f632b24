package dev.netpoll.http2;

import java.io.IOException;
import java.time.Duration;

/** The peer kept a flow-control window shut past the write timeout: the connection is cut off. */
final class WindowStallException extends IOException {

    WindowStallException(int streamId, long timeoutNanos) {
        super("stream " + streamId + ": the client's flow-control window stayed shut for " + Duration.ofNanos(timeoutNanos));
    }
}
