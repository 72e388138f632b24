package dev.netpoll.sys;

import java.nio.ByteBuffer;

/**
 * A direct buffer with its native address looked up once. Finding the address of a
 * {@link ByteBuffer} is a JNI call and an allocation in JNA; a pooled buffer used for every read
 * and write of a connection should pay that once, not per system call.
 *
 * <p>The {@link #buffer()} is the caller's to position and limit as usual; the address always
 * refers to index 0.
 */
public final class NativeBuffer {

    private final ByteBuffer buffer;
    private final long address;
    // Guarded by the pool that lends this buffer: true from its return until it is lent again.
    private boolean returned;

    public NativeBuffer(int capacity) {
        this.buffer = ByteBuffer.allocateDirect(capacity);
        this.address = LibC.address(buffer);
    }

    public ByteBuffer buffer() {
        return buffer;
    }

    /** Address of index 0. */
    public long address() {
        return address;
    }

    /** For the lending pool: marks the buffer returned; false if it already was (a double release). */
    public boolean markReturned() {
        if (returned) {
            return false;
        }
        returned = true;
        return true;
    }

    /** For the lending pool: the buffer has an owner again. */
    public void markLent() {
        returned = false;
    }

    public int capacity() {
        return buffer.capacity();
    }
}
