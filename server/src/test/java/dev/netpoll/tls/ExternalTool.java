package dev.netpoll.tls;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A command-line TLS client (openssl, curl) run by a test. A developer without it sees the test
 * skipped; {@code .ci/run} installs the tools and sets {@code NETPOLL_REQUIRE_TLS_TOOLS=true},
 * which turns a missing tool into a failure.
 */
public final class ExternalTool {

    /** What a run printed and how it ended. */
    public record Run(int exitCode, String output) {
    }

    private ExternalTool() {
    }

    /** Skips (or fails, when required) the test unless {@code name} is on the PATH. */
    public static void require(String name) {
        boolean found = java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .filter(dir -> !dir.isEmpty()).anyMatch(dir -> Files.isExecutable(Path.of(dir, name)));
        if (!found) {
            String variable = "NETPOLL_REQUIRE_TLS_TOOLS";
            if (Boolean.parseBoolean(System.getenv(variable))) {
                fail(name + " is required (" + variable + "=true) but is not on the PATH");
            }
            assumeTrue(false, name + " is not on the PATH; set " + variable + "=true to make this a failure");
        }
    }

    /** Runs {@code command} with {@code input} on its standard input; stdout and stderr together. */
    public static Run run(List<String> command, String input) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().write(input.getBytes(StandardCharsets.US_ASCII));
        process.getOutputStream().close();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(command + " did not finish in 30 s");
        }
        return new Run(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
