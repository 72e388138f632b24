package dev.netpoll.http;

import java.lang.management.ManagementFactory;
import java.util.OptionalLong;

/**
 * The default for {@link HttpConfig#maxConnections()}: as many connections as the process's
 * descriptor limit ({@code RLIMIT_NOFILE}, {@code ulimit -n}) allows, less a reserve.
 *
 * <p>Tomcat caps connections at 8192 because each costs it a thread; here a connection costs a
 * parked task and a few kilobytes, so the real bound is the descriptor table. A cap below it only
 * turns the 8193rd idle keep-alive client into a connect timeout (the backlog fills while
 * accepting is paused). Past the descriptor limit, {@code accept} fails with {@code EMFILE} and the
 * accept loop backs off; the reserve keeps that from starving the rest of the process.
 *
 * <p>The limit is read once, through {@code UnixOperatingSystemMXBean} (the JDK's own
 * {@code getrlimit}, so it works for the nio transport on any Unix too). HotSpot raises the soft
 * limit to the hard one at start-up ({@code -XX:+MaxFDLimit}, the default), so this is usually
 * the hard limit.
 */
public final class ConnectionLimit {

    /**
     * Descriptors kept back for everything that is not an accepted connection: jars and log files,
     * the listener, the poller's epoll and eventfd descriptors, and outbound sockets (a database
     * pool, calls to downstream services). Half the limit when the limit is below twice this.
     */
    public static final int RESERVE = 1024;

    /** The default where the JVM cannot read a descriptor limit (not a Unix): Tomcat's 8192 times eight. */
    public static final int WITHOUT_DESCRIPTOR_LIMIT = 65_536;

    private static final OptionalLong DESCRIPTOR_LIMIT = readDescriptorLimit();

    private ConnectionLimit() {
    }

    /** The process's open-file limit as read at start-up, or empty where the JVM cannot tell. */
    public static OptionalLong descriptorLimit() {
        return DESCRIPTOR_LIMIT;
    }

    /** The default connection limit for this process. */
    public static int byDefault() {
        return derive(DESCRIPTOR_LIMIT.orElse(0));
    }

    /** The connection limit a descriptor limit allows; 0 or less means the limit is unknown. */
    public static int derive(long descriptorLimit) {
        if (descriptorLimit <= 0) {
            return WITHOUT_DESCRIPTOR_LIMIT;
        }
        long reserve = Math.min(RESERVE, descriptorLimit / 2);
        return (int) Math.clamp(descriptorLimit - reserve, 1, Integer.MAX_VALUE);
    }

    private static OptionalLong readDescriptorLimit() {
        try {
            if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
                long limit = unix.getMaxFileDescriptorCount();
                // RLIM_INFINITY arrives as -1 through the JDK's cast; treat it, and errors, as unknown.
                return limit > 0 ? OptionalLong.of(limit) : OptionalLong.empty();
            }
        } catch (LinkageError | RuntimeException e) {
            // A trimmed runtime without java.management or jdk.management: the limit is unknown.
        }
        return OptionalLong.empty();
    }
}
