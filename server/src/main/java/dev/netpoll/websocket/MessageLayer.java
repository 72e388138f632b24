package dev.netpoll.websocket;

import jakarta.websocket.CloseReason;
import java.nio.ByteBuffer;

/**
 * What turns a session's frames into the endpoint's messages, above {@link FrameCheck}: our own
 * {@link EndpointSession} for programmatic endpoints, or Tyrus' connection for annotated ones
 * and endpoints with encoders or decoders ({@link TyrusLayer}).
 */
interface MessageLayer {

    /**
     * Vetted, unmasked frames as {@link FrameCheck#scan} emits them: whole headers without a
     * masking key, payloads possibly split across calls. Only the session's task calls this.
     */
    void handle(ByteBuffer frames);

    /**
     * Closes the session with {@code reason}: the close frame goes out behind any send in
     * progress and the endpoint learns of the close. Any thread; a second close does nothing.
     */
    void close(CloseReason reason);

    /**
     * Waits, at most {@code nanos}, until the close frame of whoever closed first has gone out (or
     * failed), so that the connection does not close under it. Session's task.
     */
    default void awaitCloseSent(long nanos) {
    }

    /** Opens the endpoint on the session's task and returns what reads its frames. */
    @FunctionalInterface
    interface Opener {
        MessageLayer open(SessionWriter writer, WebSocketSession session);
    }
}
