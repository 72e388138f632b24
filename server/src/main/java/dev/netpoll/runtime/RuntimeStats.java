package dev.netpoll.runtime;

import dev.netpoll.poll.PollStats;
import dev.netpoll.poll.Transport;
import dev.netpoll.poll.WaitReason;
import java.lang.management.ManagementFactory;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One immutable reading of a server's runtime, in Go's vocabulary: goroutines (live tasks) against
 * OS threads, tasks parked by reason, the poller's counters and the carrier scheduler. Metrics,
 * the actuator endpoint and tests all read this rather than the live counters.
 *
 * @param transport        {@code epoll} or {@code nio}
 * @param pollerThreads    platform threads running {@code epoll_wait}
 * @param goroutines       live tasks of this server
 * @param parkedRead       tasks parked waiting to read
 * @param parkedWrite      tasks parked waiting to write
 * @param parkedAccept     tasks parked in accept
 * @param pollerWaits      {@code epoll_wait} calls so far
 * @param pollerEvents     readiness events delivered so far
 * @param pollerWakeups    parked tasks the poller readied so far
 * @param monitorWakeups   of those, tasks the poller's platform thread readied itself because the
 *                         poll task found no free carrier (Go's sysmon)
 * @param pollTaskRestarts poll tasks restarted after dying on a failed system call
 * @param registeredFds    descriptors registered with the poller now
 * @param osThreads        live platform threads of the JVM ({@code ThreadMXBean.getThreadCount})
 * @param parallelism      the carrier scheduler's parallelism (Go's GOMAXPROCS)
 * @param carrierPoolSize  carrier threads now, where the JDK reports it
 * @param mountedTasks     virtual threads on a carrier now, where the JDK reports it
 * @param queuedTasks      virtual threads waiting for a carrier, where the JDK reports it
 */
public record RuntimeStats(
        String transport,
        int pollerThreads,
        long goroutines,
        long parkedRead,
        long parkedWrite,
        long parkedAccept,
        long pollerWaits,
        long pollerEvents,
        long pollerWakeups,
        long monitorWakeups,
        long pollTaskRestarts,
        long registeredFds,
        int osThreads,
        int parallelism,
        OptionalInt carrierPoolSize,
        OptionalInt mountedTasks,
        OptionalLong queuedTasks) {

    /** Reads the counters of {@code tasks} and {@code transport} now. */
    public static RuntimeStats capture(Tasks tasks, Transport transport) {
        PollStats poll = transport.stats();
        return new RuntimeStats(
                transport.name(),
                transport.pollerThreads(),
                tasks.live(),
                poll.parked(WaitReason.READ),
                poll.parked(WaitReason.WRITE),
                poll.parked(WaitReason.ACCEPT),
                poll.waitCalls(),
                poll.eventsDelivered(),
                poll.wakeups(),
                poll.monitorWakeups(),
                poll.pollTaskRestarts(),
                poll.registered(),
                ManagementFactory.getThreadMXBean().getThreadCount(),
                CarrierScheduler.parallelism(),
                CarrierScheduler.poolSize(),
                CarrierScheduler.mounted(),
                CarrierScheduler.queued());
    }

    /** All parked tasks, whatever the reason. */
    public long parked() {
        return parkedRead + parkedWrite + parkedAccept;
    }
}
