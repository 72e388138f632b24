package dev.netpoll.poll;

/** Why a task is parked on a descriptor; the metrics count parked tasks by this. */
public enum WaitReason {
    READ, WRITE, ACCEPT;

    /** Lowercase tag value for metrics, such as {@code "read"}. */
    public String tag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
