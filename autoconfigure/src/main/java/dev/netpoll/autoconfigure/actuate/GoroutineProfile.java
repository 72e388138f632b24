package dev.netpoll.autoconfigure.actuate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The text of the goroutine dump, in the two forms of Go's {@code /debug/pprof/goroutine}:
 * {@code debug=1} groups the tasks by identical wait state and stack, with a count, the largest
 * group first (10,000 idle keep-alive connections are one group); {@code debug=2} lists every
 * task with its state, the time in it, its connection and request, and its whole stack.
 */
final class GoroutineProfile {

    private GoroutineProfile() {
    }

    /** {@code debug=1}: one entry per distinct state and stack. */
    static void grouped(List<GoroutineSnapshot> tasks, StringBuilder out) {
        record Key(String state, List<StackTraceElement> stack) {
        }
        Map<Key, Integer> counts = new LinkedHashMap<>();
        for (GoroutineSnapshot task : tasks) {
            String state = task.phase() == null ? task.state() : task.state() + ", " + task.phase();
            counts.merge(new Key(state, task.stack()), 1, Integer::sum);
        }
        List<Map.Entry<Key, Integer>> groups = new ArrayList<>(counts.entrySet());
        groups.sort(Map.Entry.<Key, Integer>comparingByValue().reversed());
        out.append("goroutine profile: total ").append(tasks.size()).append('\n');
        for (Map.Entry<Key, Integer> group : groups) {
            out.append(group.getValue()).append(" @ ").append(group.getKey().state()).append('\n');
            for (StackTraceElement frame : group.getKey().stack()) {
                out.append("#\t").append(frame).append('\n');
            }
            out.append('\n');
        }
    }

    /** {@code debug=2}: every task, in the order they were started (Go orders by goroutine id). */
    static void full(List<GoroutineSnapshot> tasks, StringBuilder out) {
        List<GoroutineSnapshot> sorted = new ArrayList<>(tasks);
        sorted.sort(Comparator.comparingLong(GoroutineSnapshot::id));
        for (GoroutineSnapshot task : sorted) {
            out.append("goroutine ").append(task.id()).append(" [").append(task.state());
            if (task.phase() != null) {
                out.append(", ").append(task.phase());
                if (task.inPhase() != null) {
                    out.append(' ').append(format(task.inPhase()));
                }
            }
            out.append("]: ").append(task.name()).append('\n');
            if (task.connection() != null) {
                out.append("connection ").append(task.connection()).append('\n');
            }
            if (task.request() != null) {
                out.append("request ").append(task.request()).append('\n');
            }
            for (StackTraceElement frame : task.stack()) {
                out.append("\tat ").append(frame).append('\n');
            }
            out.append('\n');
        }
    }

    /** {@code 850ms}, {@code 12.3s}, {@code 5m03s}, {@code 2h05m}: short, like Go's wait times. */
    static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis < 1000) {
            return millis + "ms";
        }
        if (millis < 60_000) {
            return String.format(java.util.Locale.ROOT, "%.1fs", millis / 1000.0);
        }
        long seconds = millis / 1000;
        if (seconds < 3600) {
            return String.format(java.util.Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
        }
        return String.format(java.util.Locale.ROOT, "%dh%02dm", seconds / 3600, seconds % 3600 / 60);
    }
}
