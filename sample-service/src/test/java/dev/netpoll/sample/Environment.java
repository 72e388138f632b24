package dev.netpoll.sample;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What the container and Prometheus tests need from the machine. A developer without Docker or
 * Prometheus sees those tests skipped; {@code .ci/run} sets {@code NETPOLL_REQUIRE_DOCKER} and
 * {@code NETPOLL_REQUIRE_PROMETHEUS}, turning a missing tool into a failure instead.
 */
final class Environment {

    private Environment() {
    }

    static void require(boolean available, String what, String variable) {
        if (!available) {
            if (Boolean.parseBoolean(System.getenv(variable))) {
                fail(what + " is required (" + variable + "=true) but is not available");
            }
            assumeTrue(false, what + " is not available; set " + variable + "=true to make this a failure");
        }
    }

    /** {@code name} as an executable on the {@code PATH}, if there is one. */
    static Optional<Path> executable(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The repository root: Surefire runs in the module's directory. */
    static Path repositoryRoot() {
        Path module = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        return Files.exists(module.resolve("docker/Dockerfile")) ? module : module.getParent();
    }
}
