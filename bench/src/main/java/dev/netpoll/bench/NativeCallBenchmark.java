package dev.netpoll.bench;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import dev.netpoll.sys.LibC;
import dev.netpoll.sys.NativeBuffer;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a call into libc costs through JNA's direct mapping, the binding Netpoll uses, against the
 * JDK's own foreign-function API (final since JDK 22, so not usable by a JDK 21 library without
 * preview). A keep-alive request makes two such calls, a {@code read} and a {@code write}; the C
 * program this project measures against makes the same two system calls with no binding at all.
 *
 * <p>{@code labs} is a libc function with no system call: its score is the binding alone.
 * {@code read} on an empty non-blocking eventfd fails with EAGAIN: the binding, the kernel's
 * shortest path, and fetching errno, as a read that finds a socket drained does.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class NativeCallBenchmark {

    /** {@code labs} bound the way {@link LibC} binds its calls. */
    static final class JnaLabs {
        static {
            Native.register(JnaLabs.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
        }

        static native long labs(long value);
    }

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle FFM_LABS = LINKER.downcallHandle(
            LINKER.defaultLookup().find("labs").orElseThrow(), FunctionDescriptor.of(JAVA_LONG, JAVA_LONG));
    private static final MethodHandle FFM_READ = LINKER.downcallHandle(
            LINKER.defaultLookup().find("read").orElseThrow(),
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG),
            Linker.Option.captureCallState("errno"));
    private static final VarHandle ERRNO = Linker.Option.captureStateLayout()
            .varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));

    private long value = -42;
    private int eventFd;
    private NativeBuffer jnaBuffer;
    private Arena arena;
    private MemorySegment ffmBuffer;
    private MemorySegment callState;

    @Setup(Level.Trial)
    public void open() {
        eventFd = LibC.eventfd(0, LibC.EFD_NONBLOCK | LibC.EFD_CLOEXEC);
        if (eventFd < 0) {
            throw new IllegalStateException("eventfd failed: errno " + LibC.errno());
        }
        jnaBuffer = new NativeBuffer(8);
        arena = Arena.ofConfined();
        ffmBuffer = arena.allocate(8);
        callState = arena.allocate(Linker.Option.captureStateLayout());
    }

    @TearDown(Level.Trial)
    public void close() {
        LibC.close(eventFd);
        arena.close();
    }

    @Benchmark
    public long labsThroughJna() {
        return JnaLabs.labs(value);
    }

    @Benchmark
    public long labsThroughFfm() throws Throwable {
        return (long) FFM_LABS.invokeExact(value);
    }

    @Benchmark
    public int emptyReadThroughJna() {
        long n = LibC.read(eventFd, jnaBuffer.address(), 8);
        return n < 0 ? LibC.errno() : (int) n;
    }

    @Benchmark
    public int emptyReadThroughFfm() throws Throwable {
        long n = (long) FFM_READ.invokeExact(callState, eventFd, ffmBuffer, 8L);
        return n < 0 ? (int) ERRNO.get(callState, 0L) : (int) n;
    }
}
