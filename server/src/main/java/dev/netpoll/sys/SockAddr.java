package dev.netpoll.sys;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A {@code struct sockaddr_storage} in native memory, with conversions from and to
 * {@link InetSocketAddress}. Layouts ({@code <netinet/in.h>}): {@code sockaddr_in} is family
 * (u16, host order), port (u16, network order), address (4 bytes); {@code sockaddr_in6} is family,
 * port, flow info (u32), address (16 bytes), scope id (u32, host order).
 *
 * <p>Not thread-safe: each user (a listener's accept loop, a bind call) owns its own.
 */
public final class SockAddr {

    /** sizeof(struct sockaddr_storage). */
    public static final int STORAGE_SIZE = 128;
    private static final int IN4_SIZE = 16;
    private static final int IN6_SIZE = 28;
    private static final int IN4_PACKED = 6;
    private static final int IN6_PACKED = 22;

    private final ByteBuffer memory;
    private final long address;
    // socklen_t in/out argument of accept4, getsockname, getpeername, right after the storage.
    private final long lengthAddress;

    public SockAddr() {
        memory = ByteBuffer.allocateDirect(STORAGE_SIZE + 8).order(ByteOrder.nativeOrder());
        address = LibC.address(memory);
        lengthAddress = address + STORAGE_SIZE;
    }

    public long address() {
        return address;
    }

    /** Address of the socklen_t, preset to the storage size, for calls that fill the struct. */
    public long lengthAddressForFill() {
        memory.putInt(STORAGE_SIZE, STORAGE_SIZE);
        return lengthAddress;
    }

    /** Writes {@code socket} into the struct and returns its length for {@code bind}. */
    public int encode(InetSocketAddress socket) {
        InetAddress ip = socket.getAddress();
        if (ip == null) {
            throw new IllegalArgumentException("unresolved address: " + socket.getHostString());
        }
        for (int i = 0; i < STORAGE_SIZE; i++) {
            memory.put(i, (byte) 0);
        }
        memory.order(ByteOrder.BIG_ENDIAN).putShort(2, (short) socket.getPort()).order(ByteOrder.nativeOrder());
        if (ip instanceof Inet4Address) {
            memory.putShort(0, (short) LibC.AF_INET);
            memory.put(4, ip.getAddress());
            return IN4_SIZE;
        }
        memory.putShort(0, (short) LibC.AF_INET6);
        memory.put(8, ip.getAddress());
        memory.putInt(24, ((Inet6Address) ip).getScopeId());
        return IN6_SIZE;
    }

    /** Reads the struct as last filled by libc. */
    public InetSocketAddress decode() {
        return unpack(pack());
    }

    /**
     * The struct as last filled by libc, in the compact form a connection keeps of its peer: the
     * address's bytes, the port (2 bytes, network order) and for IPv6 the scope id (4 bytes): 6
     * or 22 bytes in one array, where an {@link InetSocketAddress} is four objects and ~100 bytes
     * that every idle connection would carry. {@link #unpack} makes the address when asked.
     */
    public byte[] pack() {
        int family = memory.getShort(0);
        if (family != LibC.AF_INET && family != LibC.AF_INET6) {
            throw new IllegalStateException("unexpected address family " + family);
        }
        boolean v4 = family == LibC.AF_INET;
        int ipLength = v4 ? 4 : 16;
        ByteBuffer packed = ByteBuffer.allocate(v4 ? IN4_PACKED : IN6_PACKED); // big-endian
        packed.put(0, memory, v4 ? 4 : 8, ipLength);
        // sin_port and sin6_port sit at offset 2, already in network order.
        packed.put(ipLength, memory, 2, 2);
        if (!v4) {
            packed.putInt(ipLength + 2, memory.getInt(24));
        }
        return packed.array();
    }

    /** The address {@link #pack} stored. */
    public static InetSocketAddress unpack(byte[] packed) {
        ByteBuffer in = ByteBuffer.wrap(packed); // big-endian
        int ipLength = packed.length == IN4_PACKED ? 4 : 16;
        int port = Short.toUnsignedInt(in.getShort(ipLength));
        byte[] raw = java.util.Arrays.copyOf(packed, ipLength);
        try {
            int scope = ipLength == 16 ? in.getInt(ipLength + 2) : 0;
            InetAddress ip = scope == 0 ? InetAddress.getByAddress(raw) : Inet6Address.getByAddress(null, raw, scope);
            return new InetSocketAddress(ip, port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("malformed packed address of " + packed.length + " bytes", e);
        }
    }

    /** The address family of {@code socket}'s IP: AF_INET or AF_INET6. */
    public static int family(InetSocketAddress socket) {
        return socket.getAddress() instanceof Inet4Address ? LibC.AF_INET : LibC.AF_INET6;
    }
}
