package dev.netpoll.websocket;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.glassfish.tyrus.core.frame.Frame;

/**
 * One session's permessage-deflate (RFC 7692), negotiated without context takeover in either
 * direction: every message is compressed and decompressed on its own, so zlib state is borrowed
 * from a shared pool for the length of one message and an idle session holds none (a zlib stream
 * with context takeover would pin some 300 KB of native memory per session for its whole life).
 *
 * <p>Inflating stops at the message size limit: a small compressed frame cannot expand into a
 * large allocation. A failure (too big: 1009; corrupt data: 1007) is recorded for the session's
 * task, which closes with it after the read; the frame Tyrus gets in its place is an empty pong.
 *
 * <p>Incoming frames are handled on the session's task alone; outgoing ones on any sending
 * thread, one message at a time under {@code sendLock}.
 */
final class MessageCompression {

    /** RFC 7692 section 7.2.2: a message's compressed data ends without the final empty block's tail. */
    private static final byte[] TAIL = {0x00, 0x00, (byte) 0xFF, (byte) 0xFF};
    private static final int POOLED = Math.max(4, Runtime.getRuntime().availableProcessors() * 2);
    private static final ConcurrentLinkedQueue<Inflater> INFLATERS = new ConcurrentLinkedQueue<>();
    private static final ConcurrentLinkedQueue<Deflater> DEFLATERS = new ConcurrentLinkedQueue<>();
    private static final AtomicInteger INFLATERS_POOLED = new AtomicInteger();
    private static final AtomicInteger DEFLATERS_POOLED = new AtomicInteger();

    /** Written by any thread ({@code Session.setMax*MessageBufferSize}); read at a message's first frame. */
    private volatile long maxText;
    private volatile long maxBinary;
    private volatile boolean negotiated;

    // Incoming, task-owned: the message being read.
    private Inflater inflater;
    private boolean inCompressed;
    private boolean inText;
    private long inLimit;
    private long inSize;
    private volatile int failure;
    private volatile String failureReason;

    // Outgoing, guarded by sendLock: the message being sent.
    private final ReentrantLock sendLock = new ReentrantLock();
    private Deflater deflater;

    MessageCompression(long maxText, long maxBinary) {
        this.maxText = maxText;
        this.maxBinary = maxBinary;
    }

    /** Changes the limits on inflated message sizes (any thread). */
    void limits(long text, long binary) {
        maxText = text;
        maxBinary = binary;
    }

    void negotiated() {
        negotiated = true;
    }

    boolean isNegotiated() {
        return negotiated;
    }

    /** The close code of a failed decompression, 0 if none. */
    int failure() {
        return failure;
    }

    String failureReason() {
        return failureReason;
    }

    /** Tyrus' side: {@link #inflate(int, boolean, boolean, ByteBuffer)} on a frame. */
    Frame inflate(Frame frame) {
        if (frame.isControlFrame() || failure != 0) {
            return failure != 0 ? emptyPong() : frame;
        }
        ByteBuffer payload = ByteBuffer.wrap(frame.getPayloadData(), 0, (int) frame.getPayloadLength());
        ByteBuffer out = inflate(frame.getOpcode(), frame.isRsv1(), frame.isFin(), payload);
        if (out == null) {
            return emptyPong();
        }
        if (out == payload) {
            return frame;
        }
        byte[] bytes = new byte[out.remaining()];
        out.get(bytes);
        return Frame.builder(frame).rsv1(false).payloadData(bytes).payloadLength(bytes.length).build();
    }

    /**
     * One data frame's payload as the application sees it: {@code payload} itself when its message
     * is not compressed, else the inflated bytes; null once decompression failed ({@link #failure}).
     */
    ByteBuffer inflate(int opcode, boolean rsv1, boolean fin, ByteBuffer payload) {
        if (failure != 0) {
            return null;
        }
        if (opcode != 0) {
            inCompressed = rsv1;
            inText = opcode == 1;
            inLimit = inText ? maxText : maxBinary;
            inSize = 0;
        }
        if (!inCompressed) {
            return payload;
        }
        if (inflater == null) {
            inflater = take(INFLATERS, INFLATERS_POOLED);
            if (inflater == null) {
                inflater = new Inflater(true);
            }
        }
        var out = new ByteArrayOutputStream();
        try {
            if (!inflateInto(payload, out) || fin && !inflateInto(ByteBuffer.wrap(TAIL), out)) {
                fail(1009, (inText ? "text" : "binary") + " message larger than " + inLimit + " bytes once inflated");
                return null;
            }
        } catch (DataFormatException e) {
            fail(1007, "compressed data is corrupt: " + e.getMessage());
            return null;
        }
        if (fin) {
            inflater.reset();
            give(INFLATERS, INFLATERS_POOLED, inflater);
            inflater = null;
        }
        return ByteBuffer.wrap(out.toByteArray());
    }

    /** Inflates the bytes of {@code data}; false when the message passes its limit. */
    private boolean inflateInto(ByteBuffer data, ByteArrayOutputStream out) throws DataFormatException {
        inflater.setInput(data);
        byte[] chunk = new byte[8192];
        while (!inflater.needsInput() || inflater.getRemaining() > 0) {
            int n = inflater.inflate(chunk);
            if (n == 0) {
                if (inflater.needsInput() || inflater.finished() || inflater.needsDictionary()) {
                    break;
                }
                continue;
            }
            inSize += n;
            if (inSize > inLimit) {
                return false;
            }
            out.write(chunk, 0, n);
        }
        return true;
    }

    private void fail(int code, String reason) {
        failureReason = reason;
        failure = code;
        if (inflater != null) {
            inflater.end();
            inflater = null;
        }
    }

    private static Frame emptyPong() {
        return Frame.builder().fin(true).opcode((byte) 0x0A).payloadData(new byte[0]).payloadLength(0).build();
    }

    /** Tyrus' side: {@link #deflate(ByteBuffer, boolean)} on a frame. */
    Frame deflate(Frame frame) {
        if (frame.isControlFrame()) {
            return frame;
        }
        Deflated out = deflate(ByteBuffer.wrap(frame.getPayloadData(), 0, (int) frame.getPayloadLength()), frame.isFin());
        return Frame.builder(frame).rsv1(out.first()).payloadData(out.bytes()).payloadLength(out.length()).build();
    }

    /** A frame's compressed payload: {@code bytes[0, length)}; {@code first} marks its message's first frame (RSV1). */
    record Deflated(byte[] bytes, int length, boolean first) {
    }

    /** Compresses one data frame's payload; {@code fin} ends the message. Any sending thread. */
    Deflated deflate(ByteBuffer payload, boolean fin) {
        sendLock.lock();
        try {
            boolean first = deflater == null;
            if (first) {
                deflater = take(DEFLATERS, DEFLATERS_POOLED);
                if (deflater == null) {
                    deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
                }
            }
            deflater.setInput(payload);
            var out = new ByteArrayOutputStream();
            byte[] chunk = new byte[8192];
            int n;
            do {
                n = deflater.deflate(chunk, 0, chunk.length, Deflater.SYNC_FLUSH);
                out.write(chunk, 0, n);
            } while (n == chunk.length || !deflater.needsInput());
            byte[] bytes = out.toByteArray();
            int length = bytes.length;
            if (fin) {
                if (endsWithTail(bytes)) {
                    length -= TAIL.length;
                }
                deflater.reset();
                give(DEFLATERS, DEFLATERS_POOLED, deflater);
                deflater = null;
            }
            return new Deflated(bytes, length, first);
        } finally {
            sendLock.unlock();
        }
    }

    private static boolean endsWithTail(byte[] bytes) {
        int at = bytes.length - TAIL.length;
        return at >= 0 && bytes[at] == TAIL[0] && bytes[at + 1] == TAIL[1] && bytes[at + 2] == TAIL[2]
                && bytes[at + 3] == TAIL[3];
    }

    /**
     * The session's task is done reading: an inflater it still holds (a message cut short) is
     * freed, not pooled. Task only: {@code inflater} is the task's, and ending it from another
     * thread could end one already given back to the pool.
     */
    void releaseInbound() {
        Inflater in = inflater;
        inflater = null;
        if (in != null) {
            in.end();
        }
    }

    /** No more messages go out: a deflater held by a message cut short is freed. Any thread. */
    void releaseOutbound() {
        sendLock.lock();
        try {
            if (deflater != null) {
                deflater.end();
                deflater = null;
            }
        } finally {
            sendLock.unlock();
        }
    }

    private static <T> T take(ConcurrentLinkedQueue<T> pool, AtomicInteger pooled) {
        T item = pool.poll();
        if (item != null) {
            pooled.decrementAndGet();
        }
        return item;
    }

    private static <T> void give(ConcurrentLinkedQueue<T> pool, AtomicInteger pooled, T item) {
        if (pooled.incrementAndGet() <= POOLED) {
            pool.add(item);
        } else {
            pooled.decrementAndGet();
            if (item instanceof Inflater i) {
                i.end();
            } else if (item instanceof Deflater d) {
                d.end();
            }
        }
    }
}
