package dev.netpoll.sys;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * An array of {@code struct epoll_event} in native memory, filled by {@code epoll_wait}.
 *
 * <p>The struct is {@code {uint32_t events; uint64_t data;}}. On x86_64 glibc declares it
 * {@code __attribute__((packed))} (12 bytes, data at offset 4) to match the i386 kernel ABI; on
 * aarch64 and other 64-bit targets it has natural alignment (16 bytes, data at offset 8).
 *
 * <p>Owned by one poller thread; not thread-safe.
 */
public final class EpollEvents {

    /** Size of one struct on this architecture. */
    public static final int SIZE;
    private static final int DATA_OFFSET;

    static {
        String arch = System.getProperty("os.arch");
        boolean packed = "amd64".equals(arch) || "x86_64".equals(arch);
        SIZE = packed ? 12 : 16;
        DATA_OFFSET = packed ? 4 : 8;
    }

    private final ByteBuffer memory;
    private final long address;
    private final int capacity;

    public EpollEvents(int capacity) {
        this.capacity = capacity;
        this.memory = ByteBuffer.allocateDirect(capacity * SIZE).order(ByteOrder.nativeOrder());
        this.address = LibC.address(memory);
    }

    /** Address to pass to {@code epoll_wait} or {@code epoll_ctl}. */
    public long address() {
        return address;
    }

    public int capacity() {
        return capacity;
    }

    public int events(int index) {
        return memory.getInt(index * SIZE);
    }

    public long data(int index) {
        return memory.getLong(index * SIZE + DATA_OFFSET);
    }

    /** Fills slot {@code index}, for {@code epoll_ctl}. */
    public void set(int index, int events, long data) {
        memory.putInt(index * SIZE, events);
        memory.putLong(index * SIZE + DATA_OFFSET, data);
    }
}
