package dev.netpoll.sample;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A tool run to its end (promtool, kubectl): its exit status and what it printed, both streams. */
record CommandLine(int exitStatus, String output) {

    static CommandLine run(Path directory, List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not end within 2 minutes:\n" + output);
        }
        return new CommandLine(process.exitValue(), output);
    }
}
