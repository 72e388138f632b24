package dev.netpoll.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.yaml.snakeyaml.Yaml;

/**
 * The alerting rules of {@code docker/prometheus-rules.yml}: they pass their promtool unit tests,
 * every metric they read is one the service exports, and the compose Prometheus loads them.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class PrometheusRulesTest {

    private static final Path DOCKER = Environment.repositoryRoot().resolve("docker");

    @LocalServerPort
    int port;

    private static String promtool() {
        var binary = Environment.executable("promtool");
        Environment.require(binary.isPresent(), "The promtool binary (Debian's prometheus package)", "NETPOLL_REQUIRE_PROMETHEUS");
        return binary.get().toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yaml(Path file) throws Exception {
        return (Map<String, Object>) new Yaml().load(Files.readString(file));
    }

    @Test
    void theRulesPassTheirPromtoolUnitTests() throws Exception {
        var result = CommandLine.run(DOCKER, List.of(promtool(), "test", "rules", "prometheus-rules.test.yml"));
        assertThat(result.exitStatus()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theComposeConfigurationIsValidAndLoadsEveryRule() throws Exception {
        var result = CommandLine.run(DOCKER, List.of(promtool(), "check", "config", "prometheus.yml"));
        assertThat(result.exitStatus()).as(result.output()).isZero();
        var groups = (List<Map<String, Object>>) yaml(DOCKER.resolve("prometheus-rules.yml")).get("groups");
        int rules = groups.stream().mapToInt(group -> ((List<?>) group.get("rules")).size()).sum();
        assertThat(result.output()).contains("SUCCESS: 1 rule files found").contains("SUCCESS: " + rules + " rules found");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theComposePrometheusMountsTheRulesBesideItsConfiguration() throws Exception {
        assertThat((List<String>) yaml(DOCKER.resolve("prometheus.yml")).get("rule_files")).containsExactly("prometheus-rules.yml");
        var services = (Map<String, Map<String, Object>>) yaml(DOCKER.resolve("compose.yaml")).get("services");
        assertThat((List<String>) services.get("prometheus").get("volumes")).contains(
                "./prometheus.yml:/etc/prometheus/prometheus.yml:ro",
                "./prometheus-rules.yml:/etc/prometheus/prometheus-rules.yml:ro");
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyMetricTheRulesReadIsExportedByTheService() throws Exception {
        Set<String> read = new TreeSet<>();
        var groups = (List<Map<String, Object>>) yaml(DOCKER.resolve("prometheus-rules.yml")).get("groups");
        for (var group : groups) {
            for (var rule : (List<Map<String, Object>>) group.get("rules")) {
                Pattern.compile("netpoll_[a-z_]+").matcher((String) rule.get("expr")).results().forEach(m -> read.add(m.group()));
            }
        }
        assertThat(read).hasSizeGreaterThanOrEqualTo(8);
        String exported;
        try (var client = HttpClient.newHttpClient()) {
            exported = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus")).build(),
                    BodyHandlers.ofString()).body();
        }
        for (String metric : read) {
            assertThat(exported).as("the service exports %s", metric).containsPattern("(?m)^" + metric + "\\{.*server=\"main\"");
        }
    }
}
