package dev.netpoll.http;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The access log: one line per response in Apache's formats ({@code combined} by default,
 * {@code common}, or a pattern of {@code %} codes), written to {@code <prefix>.<yyyy-MM-dd>.log}
 * in a directory, a new file each day.
 *
 * <p>Request tasks never touch the disk: they format the line and offer it to a bounded queue,
 * and when the queue is full the line is dropped and counted ({@link #dropped()}) rather than
 * making a request wait. One platform thread owns the file: it drains the queue, writes, flushes
 * when idle, and switches files at midnight (by the given clock).
 */
public final class AccessLog implements AutoCloseable {

    /** Apache's combined log format. */
    public static final String COMBINED = "%h %l %u %t \"%r\" %s %b \"%{Referer}i\" \"%{User-Agent}i\"";
    /** Apache's common log format. */
    public static final String COMMON = "%h %l %u %t \"%r\" %s %b";

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT);
    private static final String STOP = new String("stop");

    private final Path directory;
    private final String prefix;
    private final String pattern;
    private final Clock clock;
    private final BlockingQueue<String> queue = new ArrayBlockingQueue<>(64 * 1024);
    private final AtomicLong dropped = new AtomicLong();
    private final Thread writer;

    public AccessLog(Path directory, String prefix, String pattern, Clock clock) throws IOException {
        this.directory = directory;
        this.prefix = prefix;
        this.pattern = switch (pattern == null ? "combined" : pattern) {
            case "combined" -> COMBINED;
            case "common" -> COMMON;
            default -> pattern;
        };
        this.clock = clock;
        Files.createDirectories(directory);
        writer = Thread.ofPlatform().name("netpoll-access-log").daemon(true).start(this::drain);
    }

    /** The file lines are written to on {@code day}. */
    public Path file(LocalDate day) {
        return directory.resolve(prefix + "." + day + ".log");
    }

    /** Lines dropped because the writer could not keep up. */
    public long dropped() {
        return dropped.get();
    }

    /** Formats one response and hands the line to the writer; never blocks. */
    /** Logs one served request; {@code bytes} is the body length sent, {@code startNanos} when it began. */
    public void log(HttpRequest request, HttpResponse response, long bytes, long startNanos) {
        String line = format(request, response, bytes, System.nanoTime() - startNanos);
        if (!queue.offer(line)) {
            dropped.incrementAndGet();
        }
    }

    String format(HttpRequest request, HttpResponse response, long bytes, long elapsedNanos) {
        var out = new StringBuilder(160);
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c != '%' || i + 1 == pattern.length()) {
                out.append(c);
                continue;
            }
            char code = pattern.charAt(++i);
            if (code == '>' && i + 1 < pattern.length()) {
                code = pattern.charAt(++i);
            }
            if (code == '{') {
                int close = pattern.indexOf('}', i);
                if (close < 0 || close + 1 >= pattern.length()) {
                    out.append("%{");
                    continue;
                }
                String name = pattern.substring(i + 1, close);
                char kind = pattern.charAt(close + 1);
                String value = kind == 'i' ? request.header(name) : kind == 'o' ? response.headers().get(name) : null;
                out.append(value == null ? "-" : value.replace("\"", "\\\""));
                i = close + 1;
                continue;
            }
            switch (code) {
                case 'h', 'a' -> out.append(request.remoteAddress() == null ? "-"
                        : request.remoteAddress().getAddress().getHostAddress());
                case 'l', 'u' -> out.append('-');
                case 't' -> out.append('[').append(TIME.format(ZonedDateTime.now(clock))).append(']');
                case 'r' -> out.append(request.requestLine());
                case 'm' -> out.append(request.method());
                case 'U' -> out.append(request.path());
                case 'q' -> out.append(request.query() == null ? "" : "?" + request.query());
                case 'H' -> out.append(request.version());
                case 's' -> out.append(response.status());
                case 'b' -> out.append(bytes == 0 ? "-" : Long.toString(bytes));
                case 'B' -> out.append(bytes);
                case 'D' -> out.append(TimeUnit.NANOSECONDS.toMillis(elapsedNanos));
                case 'T' -> out.append(TimeUnit.NANOSECONDS.toSeconds(elapsedNanos));
                case 'p' -> out.append(request.localAddress() == null ? "-" : request.localAddress().getPort());
                case '%' -> out.append('%');
                default -> out.append('%').append(code);
            }
        }
        return out.toString();
    }

    private void drain() {
        LocalDate day = null;
        BufferedWriter out = null;
        try {
            while (true) {
                String line = queue.poll(200, TimeUnit.MILLISECONDS);
                if (line == null) {
                    if (out != null) {
                        out.flush();
                    }
                    continue;
                }
                if (line == STOP) {
                    break;
                }
                LocalDate today = LocalDate.now(clock);
                if (!today.equals(day)) {
                    if (out != null) {
                        out.close();
                    }
                    out = Files.newBufferedWriter(file(today), StandardCharsets.UTF_8,
                            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    day = today;
                }
                out.write(line);
                out.newLine();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            System.getLogger(AccessLog.class.getName()).log(System.Logger.Level.ERROR,
                    "access log stopped: " + e.getMessage(), e);
        } finally {
            if (out != null) {
                try {
                    out.close();
                } catch (IOException ignored) {
                    // closing after a failed write: nothing more to report
                }
            }
        }
    }

    /** Writes what is queued, then stops the writer. */
    @Override
    public void close() {
        try {
            queue.put(STOP);
            writer.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
