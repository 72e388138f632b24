package dev.netpoll.runtime;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The JDK's virtual-thread scheduler as far as this JDK reports it: Go's P count (parallelism)
 * and what runs on the carriers. {@code jdk.management.VirtualThreadSchedulerMXBean} exists from
 * JDK 24; we are compiled for 21 and reach it reflectively. Where it is missing, parallelism comes
 * from {@code jdk.virtualThreadScheduler.parallelism} or the processor count (the JDK's own
 * default) and the other figures are empty rather than invented.
 */
public final class CarrierScheduler {

    private static final Object BEAN;
    private static final Method PARALLELISM;
    private static final Method POOL_SIZE;
    private static final Method MOUNTED;
    private static final Method QUEUED;

    static {
        Object bean = null;
        Method parallelism = null;
        Method poolSize = null;
        Method mounted = null;
        Method queued = null;
        try {
            Class<?> type = Class.forName("jdk.management.VirtualThreadSchedulerMXBean");
            @SuppressWarnings({"unchecked", "rawtypes"})
            Object found = ManagementFactory.getPlatformMXBean((Class) type);
            parallelism = type.getMethod("getParallelism");
            poolSize = type.getMethod("getPoolSize");
            mounted = type.getMethod("getMountedVirtualThreadCount");
            queued = type.getMethod("getQueuedVirtualThreadCount");
            bean = found;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // JDK 21-23: no such bean.
        }
        BEAN = bean;
        PARALLELISM = parallelism;
        POOL_SIZE = poolSize;
        MOUNTED = mounted;
        QUEUED = queued;
    }

    private CarrierScheduler() {
    }

    /** True when the JDK reports carrier pool size, mounted and queued tasks. */
    public static boolean reported() {
        return BEAN != null;
    }

    public static int parallelism() {
        OptionalLong reported = call(PARALLELISM);
        if (reported.isPresent()) {
            return (int) reported.getAsLong();
        }
        String property = System.getProperty("jdk.virtualThreadScheduler.parallelism");
        if (property != null) {
            try {
                return Integer.parseInt(property.trim());
            } catch (NumberFormatException ignored) {
                // The JDK ignores it too and uses the processor count.
            }
        }
        return Runtime.getRuntime().availableProcessors();
    }

    /** Carrier threads that exist now. */
    public static OptionalInt poolSize() {
        OptionalLong value = call(POOL_SIZE);
        return value.isPresent() ? OptionalInt.of((int) value.getAsLong()) : OptionalInt.empty();
    }

    /** Virtual threads mounted on a carrier now. */
    public static OptionalInt mounted() {
        OptionalLong value = call(MOUNTED);
        return value.isPresent() ? OptionalInt.of((int) value.getAsLong()) : OptionalInt.empty();
    }

    /** Virtual threads queued to run (an estimate, per the JDK). */
    public static OptionalLong queued() {
        return call(QUEUED);
    }

    private static OptionalLong call(Method method) {
        if (BEAN == null) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(((Number) method.invoke(BEAN)).longValue());
        } catch (ReflectiveOperationException e) {
            return OptionalLong.empty();
        }
    }
}
