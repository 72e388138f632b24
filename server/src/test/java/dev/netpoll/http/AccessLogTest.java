package dev.netpoll.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The access log: Apache combined lines, written off the request tasks, a new file each day. */
class AccessLogTest {

    /** A clock the test moves forward. */
    static final class MovableClock extends Clock {
        volatile Instant now = Instant.parse("2026-11-29T23:59:58Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @TempDir
    Path logs;

    private static List<String> lines(Path file) throws Exception {
        return Files.exists(file) ? Files.readAllLines(file) : List.of();
    }

    @Test
    void combinedLinesAndDailyRotation() throws Exception {
        var clock = new MovableClock();
        try (var server = new TestServer(HttpConfig.DEFAULTS, TestServer.echoLine())) {
            var log = new AccessLog(logs, "access_log", "combined", clock);
            server.server.setAccessLog(log);
            try (var client = server.client()) {
                client.send("GET /a?x=1 HTTP/1.1\r\nHost: h\r\nReferer: http://ref/\r\nUser-Agent: test-agent\r\n\r\n").read();
                Path first = log.file(LocalDate.of(2026, 11, 29));
                await().atMost(Duration.ofSeconds(5)).until(() -> lines(first).size() == 1);
                assertThat(lines(first).get(0)).matches("127\\.0\\.0\\.1 - - \\[29/Nov/2026:23:59:58 \\+0000] "
                        + "\"GET /a\\?x=1 HTTP/1\\.1\" 200 \\d+ \"http://ref/\" \"test-agent\"");

                clock.now = Instant.parse("2026-11-30T00:00:03Z");
                client.send("POST /b HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nhi").read();
                Path second = log.file(LocalDate.of(2026, 11, 30));
                await().atMost(Duration.ofSeconds(5)).until(() -> lines(second).size() == 1);
                assertThat(lines(second).get(0)).contains("\"POST /b HTTP/1.1\" 200").endsWith("\"-\" \"-\"");
                assertThat(lines(first)).hasSize(1);
            }
            assertThat(log.dropped()).isZero();
        }
    }

    @Test
    void customPatterns() throws Exception {
        var log = new AccessLog(logs, "p", "%m %U%q %s %{X-Trace}i %{Content-Type}o %D", Clock.systemUTC());
        try (var server = new TestServer(HttpConfig.DEFAULTS, TestServer.echoLine())) {
            server.server.setAccessLog(log);
            try (var client = server.client()) {
                client.send("GET /c?q=2 HTTP/1.1\r\nHost: h\r\nX-Trace: abc\r\n\r\n").read();
            }
            Path file = log.file(LocalDate.now(Clock.systemUTC()));
            await().atMost(Duration.ofSeconds(5)).until(() -> lines(file).size() == 1);
            assertThat(lines(file).get(0)).matches("GET /c\\?q=2 200 abc text/plain \\d+");
        }
    }
}
