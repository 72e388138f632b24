package dev.netpoll.autoconfigure;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sample application in a JVM of its own, as a user runs it: what a test JVM keeps alive by
 * itself (its own threads) cannot hide how the application lives or dies. Its output is collected
 * for assertion messages; {@link #port} waits for Netpoll's started line. Closing stops the JVM.
 */
final class ChildApplication implements AutoCloseable {

    private static final Pattern STARTED = Pattern.compile("Netpoll started on port (\\d+)");

    private final Process process;
    private final StringBuffer output = new StringBuffer();
    private final CompletableFuture<Integer> port = new CompletableFuture<>();

    /** Starts {@link SampleApplication} on {@code classPath} with {@code arguments}. */
    ChildApplication(String classPath, String... arguments) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp", classPath,
                SampleApplication.class.getName()));
        command.addAll(List.of(arguments));
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        var reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Thread.ofPlatform().daemon().start(() -> {
            try {
                for (String line; (line = reader.readLine()) != null; ) {
                    output.append(line).append('\n');
                    Matcher m = STARTED.matcher(line);
                    if (m.find()) {
                        port.complete(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (Exception ignored) {
                // the process ended
            }
            port.complete(-1);
        });
    }

    /** The test JVM's own class path, which has the starter and the sample application on it. */
    static String testClassPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    /** The port Netpoll started on, within 60 s; -1 if the JVM ended first. */
    int port() throws Exception {
        return port.get(60, TimeUnit.SECONDS);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Everything the JVM printed so far. */
    String output() {
        return output.toString();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
