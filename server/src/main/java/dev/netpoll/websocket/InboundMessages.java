package dev.netpoll.websocket;

import jakarta.websocket.DecodeException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns an {@link EndpointSession}'s vetted frames into messages for its handlers (RFC 6455
 * sections 5.4-5.5 and 6.2): data frames are inflated when compressed, text is checked as UTF-8
 * across frames (1007), whole messages are assembled and partial ones handed on frame by frame,
 * pings are answered, pongs and the client's close frame go to the session.
 *
 * <p>The input is {@link FrameCheck}'s output, so every header is whole, valid and unmasked, and
 * no message exceeds its size limit: this class parses without checking again. A frame whose
 * payload lies whole in one read (the usual small message) is decoded from the read buffer
 * directly; one that spans reads is copied into an array of its size.
 *
 * <p>Owned by the session's task: every field is touched only by {@link #handle} and what it calls.
 */
final class InboundMessages {

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final EndpointSession session;
    private final EndpointHandlers handlers;
    /** permessage-deflate state, or null when not negotiated. */
    private final MessageCompression compression;
    private final FrameCheck check;
    private final Utf8Validator utf8 = new Utf8Validator();
    private boolean violated;

    // The frame being read.
    private boolean inFrame;
    private int opcode;
    private boolean fin;
    private boolean rsv1;
    private long payloadLeft;
    /** The payload of a frame that spans reads, or null. */
    private byte[] frameBytes;
    private int frameFill;

    // The message being assembled.
    /** Opcode of the data message in progress (text or binary), 0 between messages. */
    private int messageOpcode;
    /** A whole message's bytes so far, when it spans frames. */
    private byte[] message;
    private int messageFill;
    /** The bytes of a character split between two parts of a partial text message. */
    private byte[] carry = new byte[0];

    InboundMessages(EndpointSession session, EndpointHandlers handlers, MessageCompression compression, FrameCheck check) {
        this.session = session;
        this.handlers = handlers;
        this.compression = compression;
        this.check = check;
    }

    void handle(ByteBuffer in) {
        while (in.hasRemaining() && !stopped()) {
            if (!inFrame) {
                readHeader(in);
                if (payloadLeft == 0) {
                    endFrame(EMPTY, false);
                }
                continue;
            }
            int n = (int) Math.min(payloadLeft, in.remaining());
            if (frameFill == 0 && n == payloadLeft) {
                ByteBuffer payload = in.slice(in.position(), n);
                in.position(in.position() + n);
                payloadLeft = 0;
                endFrame(payload, false);
                continue;
            }
            // Grown as bytes arrive: a frame that declares a large length and then trickles
            // costs what has arrived, not its declared size.
            if (frameBytes == null) {
                frameBytes = new byte[(int) Math.min(payloadLeft, Math.max(n, 1024))];
            } else if (frameBytes.length - frameFill < n) {
                frameBytes = Arrays.copyOf(frameBytes, (int) Math.min(frameFill + payloadLeft,
                        Math.max((long) frameFill + n, frameBytes.length * 2L)));
            }
            in.get(frameBytes, frameFill, n);
            frameFill += n;
            payloadLeft -= n;
            if (payloadLeft == 0) {
                ByteBuffer payload = ByteBuffer.wrap(frameBytes, 0, frameFill);
                frameBytes = null;
                frameFill = 0;
                endFrame(payload, true);
            }
        }
    }

    /**
     * A violation found here or a failed decompression ends reading: nothing after it is
     * delivered. (One {@link FrameCheck} found ends the bytes it hands over, which are all valid.)
     * Once the session is closed, frames are still parsed, for the client's close frame, but no
     * data reaches a handler ({@link #dataFrame}, and {@code EndpointSession.deliver} again).
     */
    private boolean stopped() {
        return violated || compression != null && compression.failure() != 0;
    }

    private void violation(int code, String why) {
        violated = true;
        check.violation(code, why);
    }

    private void readHeader(ByteBuffer in) {
        int b0 = in.get() & 0xFF;
        int b1 = in.get() & 0x7F;
        fin = (b0 & 0x80) != 0;
        rsv1 = (b0 & 0x40) != 0;
        opcode = b0 & 0x0F;
        payloadLeft = b1 < 126 ? b1 : b1 == 126 ? in.getShort() & 0xFFFF : in.getLong();
        inFrame = true;
    }

    /** {@code owned}: the payload's array is this class's own, not the lent read buffer. */
    private void endFrame(ByteBuffer payload, boolean owned) {
        inFrame = false;
        switch (opcode) {
            case MessageSender.PING -> session.pinged(payload);
            case MessageSender.PONG -> session.ponged(copy(payload, owned));
            case MessageSender.CLOSE -> closeFrame(payload);
            default -> dataFrame(payload, owned);
        }
    }

    private void closeFrame(ByteBuffer payload) {
        int length = payload.remaining();
        if (length == 0) {
            session.closeReceived(1005, "");
            return;
        }
        if (length == 1) {
            violation(FrameCheck.PROTOCOL_ERROR, "close frame with a one-byte payload");
            return;
        }
        int code = payload.getShort(payload.position()) & 0xFFFF;
        if (!receivable(code)) {
            violation(FrameCheck.PROTOCOL_ERROR, "close code " + code + " may not be sent");
            return;
        }
        byte[] reason = new byte[length - 2];
        payload.get(payload.position() + 2, reason);
        if (!Utf8Validator.valid(reason, 0, reason.length)) {
            violation(FrameCheck.INVALID_DATA, "close reason is not valid UTF-8");
            return;
        }
        session.closeReceived(code, new String(reason, StandardCharsets.UTF_8));
    }

    /**
     * RFC 6455 section 7.4: the codes an endpoint may put in a close frame: the defined ones
     * (not 1004, nor 1005, 1006 and 1015, which only report), the IANA-registered 1012-1014, and
     * the ranges for libraries and applications.
     */
    static boolean receivable(int code) {
        return code >= 1000 && code <= 1003 || code >= 1007 && code <= 1014 || code >= 3000 && code <= 4999;
    }

    private void dataFrame(ByteBuffer payload, boolean owned) {
        if (!session.isOpen()) {
            return;
        }
        boolean first = opcode != 0;
        if (first) {
            messageOpcode = opcode;
        }
        int kind = messageOpcode;
        if (compression != null) {
            ByteBuffer inflated = compression.inflate(opcode, rsv1, fin, payload);
            if (inflated == null) {
                return; // the session's task closes with the compression's failure
            }
            owned |= inflated != payload;
            payload = inflated;
        }
        if (fin) {
            messageOpcode = 0;
        }
        if (kind == MessageSender.TEXT) {
            if (first) {
                utf8.reset();
            }
            if (!utf8.feed(payload) || fin && !utf8.complete()) {
                violation(FrameCheck.INVALID_DATA, "text message is not valid UTF-8");
                return;
            }
        }
        EndpointHandlers.Registered handler = kind == MessageSender.TEXT ? handlers.text() : handlers.binary();
        if (handler == null) {
            violation(FrameCheck.CANNOT_ACCEPT, "the endpoint takes no " + (kind == MessageSender.TEXT ? "text" : "binary")
                    + " messages");
            return;
        }
        if (handler.partial()) {
            part(kind, handler, payload, owned);
        } else if (first && fin) {
            whole(kind, handler, payload, owned);
        } else {
            append(payload);
            if (fin) {
                ByteBuffer all = ByteBuffer.wrap(message, 0, messageFill);
                message = null;
                messageFill = 0;
                whole(kind, handler, all, true);
            }
        }
    }

    private void append(ByteBuffer payload) {
        int n = payload.remaining();
        if (message == null) {
            message = new byte[Math.max(n, 256)];
        } else if (message.length - messageFill < n) {
            message = Arrays.copyOf(message, Math.max(messageFill + n, message.length * 2));
        }
        payload.get(message, messageFill, n);
        messageFill += n;
    }

    private void part(int kind, EndpointHandlers.Registered handler, ByteBuffer payload, boolean owned) {
        if (kind == MessageSender.TEXT) {
            byte[] bytes = new byte[carry.length + payload.remaining()];
            System.arraycopy(carry, 0, bytes, 0, carry.length);
            payload.get(payload.position(), bytes, carry.length, payload.remaining());
            int whole = bytes.length - utf8.pending();
            carry = Arrays.copyOfRange(bytes, whole, bytes.length);
            session.deliver(handler, new String(bytes, 0, whole, StandardCharsets.UTF_8), fin);
        } else {
            byte[] bytes = copy(payload, owned);
            session.deliver(handler, handler.type() == byte[].class ? bytes : ByteBuffer.wrap(bytes), fin);
        }
    }

    private void whole(int kind, EndpointHandlers.Registered handler, ByteBuffer payload, boolean owned) {
        Class<?> type = handler.type();
        if (kind == MessageSender.TEXT) {
            String text = payload.hasArray()
                    ? new String(payload.array(), payload.arrayOffset() + payload.position(), payload.remaining(), StandardCharsets.UTF_8)
                    : new String(copy(payload, false), StandardCharsets.UTF_8);
            if (type == String.class) {
                session.deliver(handler, text, true);
            } else if (type == Reader.class) {
                session.deliver(handler, new StringReader(text), true);
            } else {
                Object value;
                try {
                    value = EndpointHandlers.parsePrimitive(type, text);
                } catch (IllegalArgumentException e) {
                    session.decodeFailed(new DecodeException(text, "not a " + type.getSimpleName(), e));
                    return;
                }
                session.deliver(handler, value, true);
            }
            return;
        }
        byte[] bytes = copy(payload, owned);
        Object message = type == byte[].class ? bytes
                : type == InputStream.class ? new ByteArrayInputStream(bytes) : ByteBuffer.wrap(bytes);
        session.deliver(handler, message, true);
    }

    /**
     * The payload's bytes in an array the handler may keep: the read buffer is lent only for the
     * length of the read, so a view of it never reaches an application.
     */
    private static byte[] copy(ByteBuffer payload, boolean owned) {
        if (owned && payload.arrayOffset() == 0 && payload.position() == 0 && payload.remaining() == payload.array().length) {
            return payload.array();
        }
        byte[] bytes = new byte[payload.remaining()];
        payload.get(payload.position(), bytes);
        return bytes;
    }
}
