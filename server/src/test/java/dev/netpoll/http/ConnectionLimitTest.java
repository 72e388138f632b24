package dev.netpoll.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The default connection limit follows the process's descriptor limit, not Tomcat's thread-bound 8192. */
class ConnectionLimitTest {

    @Test
    void defaultLimitIsTheProcesssDescriptorLimitLessTheReserve() throws IOException {
        long limit = openFilesSoftLimitFromProc();
        assertThat(ConnectionLimit.descriptorLimit()).hasValue(limit);
        assertThat(HttpConfig.DEFAULTS.maxConnections()).isEqualTo(ConnectionLimit.derive(limit));
    }

    @Test
    void defaultLetsTenThousandIdleClientsInWhereTheDescriptorLimitAllowsThem() throws IOException {
        assumeThat(openFilesSoftLimitFromProc()).isGreaterThanOrEqualTo(10_000 + ConnectionLimit.RESERVE);
        assertThat(HttpConfig.DEFAULTS.maxConnections()).isGreaterThanOrEqualTo(10_000);
    }

    @Test
    void reserveKeepsDescriptorsBackForFilesAndOutboundSockets() {
        assertThat(ConnectionLimit.derive(20_000)).isEqualTo(20_000 - ConnectionLimit.RESERVE);
        assertThat(ConnectionLimit.derive(1_048_576)).isEqualTo(1_048_576 - ConnectionLimit.RESERVE);
    }

    @Test
    void smallLimitKeepsHalfForEverythingElse() {
        assertThat(ConnectionLimit.derive(1024)).isEqualTo(512);
        assertThat(ConnectionLimit.derive(256)).isEqualTo(128);
        assertThat(ConnectionLimit.derive(1)).isEqualTo(1);
    }

    @Test
    void limitBeyondAnIntIsCappedAndAnUnknownLimitFallsBack() {
        assertThat(ConnectionLimit.derive(Long.MAX_VALUE)).isEqualTo(Integer.MAX_VALUE);
        assertThat(ConnectionLimit.derive(0)).isEqualTo(ConnectionLimit.WITHOUT_DESCRIPTOR_LIMIT);
        assertThat(ConnectionLimit.derive(-1)).isEqualTo(ConnectionLimit.WITHOUT_DESCRIPTOR_LIMIT);
    }

    /** The soft RLIMIT_NOFILE as the kernel reports it, read independently of the code under test. */
    private static long openFilesSoftLimitFromProc() throws IOException {
        Path limits = Path.of("/proc/self/limits");
        assumeThat(Files.isReadable(limits)).as("a Linux /proc").isTrue();
        for (String line : Files.readAllLines(limits)) {
            if (line.startsWith("Max open files")) {
                return Long.parseLong(line.substring("Max open files".length()).trim().split("\\s+")[0]);
            }
        }
        throw new IllegalStateException("no 'Max open files' line in " + limits);
    }
}
