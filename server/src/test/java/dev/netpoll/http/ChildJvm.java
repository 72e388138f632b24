package dev.netpoll.http;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A test's main class run in a separate JVM (same JDK, same test class path), for behaviour that
 * depends on JVM-wide settings such as the carrier count. Its output is collected; {@link #close}
 * destroys it.
 */
public final class ChildJvm implements AutoCloseable {

    public final Process process;
    private final BufferedReader out;
    private final StringBuilder seen = new StringBuilder();

    public ChildJvm(List<String> jvmOptions, Class<?> main, String... args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>();
        command.add(java);
        command.add("--enable-native-access=ALL-UNNAMED");
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classPath);
        command.add(main.getName());
        command.addAll(List.of(args));
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Reads output lines until one starts with {@code prefix}; returns the rest of that line. */
    public String awaitLine(String prefix, long timeoutSeconds) throws Exception {
        var line = CompletableFuture.supplyAsync(() -> {
            try {
                for (String l; (l = out.readLine()) != null; ) {
                    synchronized (seen) {
                        seen.append(l).append('\n');
                    }
                    if (l.startsWith(prefix)) {
                        return l.substring(prefix.length()).trim();
                    }
                }
                return null;
            } catch (IOException e) {
                return null;
            }
        });
        String found = line.get(timeoutSeconds, TimeUnit.SECONDS);
        if (found == null) {
            throw new IllegalStateException("child JVM ended without printing " + prefix + ":\n" + output());
        }
        // Keep draining so that the child never blocks on a full pipe.
        Thread.ofVirtual().start(() -> {
            try {
                for (String l; (l = out.readLine()) != null; ) {
                    synchronized (seen) {
                        seen.append(l).append('\n');
                    }
                }
            } catch (IOException ignored) {
                // the child ended
            }
        });
        return found;
    }

    public String output() {
        synchronized (seen) {
            return seen.toString();
        }
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
