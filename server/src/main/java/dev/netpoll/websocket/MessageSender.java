package dev.netpoll.websocket;

import dev.netpoll.poll.Conn;
import jakarta.websocket.EncodeException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Frames an {@link EndpointSession}'s outgoing messages (RFC 6455 section 5.2; servers do not
 * mask) and hands them to the {@link SessionWriter}. A message sent in parts keeps its place:
 * until its last part, a whole message of either kind is refused (Jakarta WebSocket: one
 * message at a time), and its later parts go out as continuation frames. Control frames (ping,
 * pong, close) may go out between the parts, as section 5.4 allows.
 *
 * <p>Any thread. {@code messageLock} guards {@code partial} and is held across one frame's
 * compression and write, so that the frames of two senders never interleave and a
 * compressed message's frames stay in order. Lock order: {@code messageLock}, then the writer's
 * send lock, then the compression's.
 */
final class MessageSender {

    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;

    private final SessionWriter writer;
    /** permessage-deflate state, or null when not negotiated. */
    private final MessageCompression compression;
    private final ReentrantLock messageLock = new ReentrantLock();
    /** Guarded by messageLock: the opcode of the message being sent in parts, 0 when none. */
    private int partial;
    /**
     * Guarded by messageLock: a high surrogate that ended the last text part, held for the next
     * one, since half a pair cannot be encoded on its own. 0 when none.
     */
    private char heldSurrogate;
    /**
     * Guarded by messageLock: the deadline ({@link System#nanoTime}) of the asynchronous send
     * running under it, 0 when none; see {@link #within}.
     */
    private long sendDeadline;

    /** A send that may encode (an object through the session's encoders) as well as write. */
    interface Send {
        void run() throws IOException, EncodeException;
    }

    MessageSender(SessionWriter writer, MessageCompression compression) {
        this.writer = writer;
        this.compression = compression;
    }

    /**
     * Runs {@code send}, one asynchronous send, within {@code deadlineNanos}
     * ({@link System#nanoTime}): waiting for another sender's message and writing its own frames
     * all count (Jakarta WebSocket's send timeout). It holds messageLock throughout, so the
     * deadline reaches every frame it writes, encoders' message streams included; the lock is
     * reentrant, so the message methods below take it again. Control frames (pongs from the
     * session's task, close) do not wait for it.
     *
     * @throws SocketTimeoutException another message was still going out at the deadline;
     *         nothing of this one was sent and the session stays open
     */
    void within(long deadlineNanos, Send send) throws IOException, EncodeException {
        if (!SendDeadline.tryLock(messageLock, deadlineNanos)) {
            throw new SocketTimeoutException("send timeout: another message was still being sent");
        }
        long outer = sendDeadline;
        try {
            sendDeadline = Conn.earlierDeadline(outer, deadlineNanos);
            send.run();
        } finally {
            sendDeadline = outer;
            messageLock.unlock();
        }
    }

    /** Sends a whole text or binary message: one frame. */
    void sendWhole(int opcode, ByteBuffer payload) throws IOException {
        messageLock.lock();
        try {
            if (partial != 0) {
                throw new IllegalStateException("a message is being sent in parts; send its last part first");
            }
            sendData(opcode, true, payload);
        } finally {
            messageLock.unlock();
        }
    }

    /** Sends one part of a binary message; {@code last} ends it. */
    void sendBinaryPart(ByteBuffer payload, boolean last) throws IOException {
        messageLock.lock();
        try {
            sendPart(BINARY, payload, last);
        } finally {
            messageLock.unlock();
        }
    }

    /** Sends one part of a text message; {@code last} ends it. A surrogate pair may straddle two parts. */
    void sendTextPart(String text, boolean last) throws IOException {
        messageLock.lock();
        try {
            if (partial == BINARY) {
                throw new IllegalStateException("a binary message is being sent in parts; it must end before a text one begins");
            }
            String whole = heldSurrogate != 0 ? heldSurrogate + text : text;
            char held = 0;
            if (!last && !whole.isEmpty() && Character.isHighSurrogate(whole.charAt(whole.length() - 1))) {
                held = whole.charAt(whole.length() - 1);
                whole = whole.substring(0, whole.length() - 1);
            }
            sendPart(TEXT, ByteBuffer.wrap(whole.getBytes(java.nio.charset.StandardCharsets.UTF_8)), last);
            heldSurrogate = held;
        } finally {
            messageLock.unlock();
        }
    }

    /** Under messageLock. */
    private void sendPart(int opcode, ByteBuffer payload, boolean last) throws IOException {
        if (partial != 0 && partial != opcode) {
            throw new IllegalStateException("a " + (partial == TEXT ? "text" : "binary")
                    + " message is being sent in parts; it must end before another kind begins");
        }
        sendData(partial == 0 ? opcode : 0, last, payload);
        partial = last ? 0 : opcode;
    }

    /** Under messageLock. */
    private void sendData(int opcode, boolean fin, ByteBuffer payload) throws IOException {
        boolean rsv1 = false;
        if (compression != null) {
            MessageCompression.Deflated out = compression.deflate(payload, fin);
            payload = ByteBuffer.wrap(out.bytes(), 0, out.length());
            rsv1 = out.first();
        }
        writer.send(frame(opcode, fin, rsv1, payload), sendDeadline);
    }

    /** Sends a ping, pong or close frame; {@code payload} at most 125 bytes. */
    void sendControl(int opcode, ByteBuffer payload) throws IOException {
        writer.send(frame(opcode, true, false, payload));
    }

    /** One frame, header and payload in one buffer: a single write per frame. */
    static ByteBuffer frame(int opcode, boolean fin, boolean rsv1, ByteBuffer payload) {
        int length = payload.remaining();
        int head = length < 126 ? 2 : length < 65536 ? 4 : 10;
        ByteBuffer frame = ByteBuffer.allocate(head + length);
        frame.put((byte) ((fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | opcode));
        if (length < 126) {
            frame.put((byte) length);
        } else if (length < 65536) {
            frame.put((byte) 126).putShort((short) length);
        } else {
            frame.put((byte) 127).putLong(length);
        }
        frame.put(payload.duplicate());
        return frame.flip();
    }
}
