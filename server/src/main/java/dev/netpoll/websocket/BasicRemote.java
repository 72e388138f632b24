package dev.netpoll.websocket;

import jakarta.websocket.EncodeException;
import jakarta.websocket.RemoteEndpoint;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The blocking sender of an {@link EndpointSession}: each call returns once its frame is handed
 * to the socket (or fails with the write timeout). Batching is a hint the container may ignore
 * (Jakarta WebSocket 2.2 section 2.1.4): every message goes out at once. Any thread.
 */
final class BasicRemote implements RemoteEndpoint.Basic {

    /** The most a message stream or writer buffers before it sends a part. */
    private static final int PART = 8192;

    private final EndpointSession session;
    private final MessageSender sender;
    private volatile boolean batching;

    BasicRemote(EndpointSession session, MessageSender sender) {
        this.session = session;
        this.sender = sender;
    }

    @Override
    public void sendText(String text) throws IOException {
        require(text);
        session.checkOpen();
        sender.sendWhole(MessageSender.TEXT, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public void sendBinary(ByteBuffer data) throws IOException {
        require(data);
        session.checkOpen();
        sender.sendWhole(MessageSender.BINARY, data.duplicate());
    }

    @Override
    public void sendText(String partialMessage, boolean isLast) throws IOException {
        require(partialMessage);
        session.checkOpen();
        sender.sendTextPart(partialMessage, isLast);
    }

    @Override
    public void sendBinary(ByteBuffer partialByte, boolean isLast) throws IOException {
        require(partialByte);
        session.checkOpen();
        sender.sendBinaryPart(partialByte.duplicate(), isLast);
    }

    @Override
    public OutputStream getSendStream() {
        session.checkOpen();
        return new OutputStream() {
            private final byte[] buffer = new byte[PART];
            private int fill;
            private boolean closed;

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                if (closed) {
                    throw new IOException("the message stream is closed");
                }
                java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
                while (length > 0) {
                    if (fill == buffer.length) {
                        sendBinary(ByteBuffer.wrap(buffer, 0, fill), false);
                        fill = 0;
                    }
                    int n = Math.min(length, buffer.length - fill);
                    System.arraycopy(bytes, offset, buffer, fill, n);
                    fill += n;
                    offset += n;
                    length -= n;
                }
            }

            /** Ends the message: the buffered bytes go out as its last part. */
            @Override
            public void close() throws IOException {
                if (!closed) {
                    closed = true;
                    sendBinary(ByteBuffer.wrap(buffer, 0, fill), true);
                }
            }
        };
    }

    @Override
    public Writer getSendWriter() {
        session.checkOpen();
        return new Writer() {
            private final StringBuilder buffer = new StringBuilder();
            private boolean closed;

            @Override
            public void write(char[] chars, int offset, int length) throws IOException {
                if (closed) {
                    throw new IOException("the message writer is closed");
                }
                buffer.append(chars, offset, length);
                if (buffer.length() >= PART) {
                    sendText(buffer.toString(), false); // a pair split at the end is held by the sender
                    buffer.setLength(0);
                }
            }

            @Override
            public void flush() {
                // parts go out as the buffer fills; the rest ends the message at close
            }

            /** Ends the message: the buffered text goes out as its last part. */
            @Override
            public void close() throws IOException {
                if (!closed) {
                    closed = true;
                    sendText(buffer.toString(), true);
                }
            }
        };
    }

    /**
     * Without encoders (this session's endpoints declare none) the container sends strings,
     * primitives and their boxes as text, and {@code ByteBuffer} and {@code byte[]} as binary
     * (Jakarta WebSocket 2.2 section 2.1.2).
     */
    @Override
    public void sendObject(Object data) throws IOException, EncodeException {
        require(data);
        if (data instanceof String text) {
            sendText(text);
        } else if (data instanceof ByteBuffer bytes) {
            sendBinary(bytes);
        } else if (data instanceof byte[] bytes) {
            sendBinary(ByteBuffer.wrap(bytes));
        } else if (data instanceof Number || data instanceof Boolean || data instanceof Character) {
            sendText(data.toString());
        } else {
            throw new EncodeException(data, "no encoder for " + data.getClass().getName()
                    + ": the endpoint declares no encoders");
        }
    }

    @Override
    public void setBatchingAllowed(boolean allowed) {
        batching = allowed;
    }

    @Override
    public boolean getBatchingAllowed() {
        return batching;
    }

    @Override
    public void flushBatch() {
        // nothing is held back
    }

    @Override
    public void sendPing(ByteBuffer applicationData) throws IOException {
        session.checkOpen();
        sender.sendControl(MessageSender.PING, control(applicationData));
    }

    @Override
    public void sendPong(ByteBuffer applicationData) throws IOException {
        session.checkOpen();
        sender.sendControl(MessageSender.PONG, control(applicationData));
    }

    private static ByteBuffer control(ByteBuffer data) {
        if (data == null) {
            return ByteBuffer.allocate(0);
        }
        if (data.remaining() > 125) {
            throw new IllegalArgumentException("a ping or pong carries at most 125 bytes, not " + data.remaining());
        }
        return data.duplicate();
    }

    private static void require(Object data) {
        if (data == null) {
            throw new IllegalArgumentException("the message must not be null");
        }
    }
}
