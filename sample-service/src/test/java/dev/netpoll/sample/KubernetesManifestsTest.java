package dev.netpoll.sample;

import static dev.netpoll.sample.KubernetesManifests.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * The invariants of {@code deploy/kubernetes/} that a cluster would only reveal in production:
 * the probes and the scraped path answer on the sample service started with the Deployment's
 * environment, the grace period covers the preStop pause and the shutdown phase, and ports and
 * labels agree between the Deployment, Service, PodMonitor, HPA and PodDisruptionBudget.
 * ({@code kubectl}'s client-side validation needs an API server for discovery and schemas, even
 * with {@code --dry-run=client --validate=false}, so it cannot run here.)
 */
class KubernetesManifestsTest {

    private static Map<String, Object> deployment;
    private static Map<String, Object> container;
    private static Map<String, String> env;
    private static ConfigurableApplicationContext application;
    private static int port;

    @BeforeAll
    static void startTheServiceAsThePodWould() throws Exception {
        deployment = KubernetesManifests.read("deployment.yaml");
        container = KubernetesManifests.container(deployment);
        env = KubernetesManifests.environment(container);
        // The container's variables, read the way Spring reads a process environment.
        var environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource("deployment", new HashMap<>(env)));
        application = new SpringApplicationBuilder(SampleServiceApplication.class).environment(environment)
                .properties("server.port=0", "server.address=127.0.0.1").run();
        port = ((WebServerApplicationContext) application).getWebServer().getPort();
    }

    @AfterAll
    static void stopTheService() {
        if (application != null) {
            application.close();
        }
    }

    private static HttpResponse<String> get(String path) throws Exception {
        try (var client = HttpClient.newHttpClient()) {
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(), BodyHandlers.ofString());
        }
    }

    private static Map<String, String> podLabels() {
        return at(deployment, "spec.template.metadata.labels");
    }

    private static List<String> containerPortNames() {
        List<Map<String, Object>> ports = at(container, "ports");
        return ports.stream().map(p -> (String) p.get("name")).toList();
    }

    @Test
    void everyProbeAsksAnActuatorHealthGroupThatIsUpOnTheContainerPort() throws Exception {
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            Map<String, Object> httpGet = at(container, probe + ".httpGet");
            assertThat(containerPortNames()).as(probe).contains((String) httpGet.get("port"));
            String path = (String) httpGet.get("path");
            assertThat(path).as(probe).matches("/actuator/health/(liveness|readiness)");
            var response = get(path);
            assertThat(response.statusCode()).as(probe + " " + path).isEqualTo(200);
            assertThat(response.body()).as(probe).contains("\"status\":\"UP\"");
        }
        assertThat((String) at(container, "readinessProbe.httpGet.path")).isEqualTo("/actuator/health/readiness");
        assertThat((String) at(container, "livenessProbe.httpGet.path")).isEqualTo("/actuator/health/liveness");
    }

    @Test
    void thePodMonitorScrapesAPathThatServesTheGoroutineGauge() throws Exception {
        Map<String, Object> podMonitor = KubernetesManifests.read("podmonitor.yaml");
        List<Map<String, Object>> endpoints = at(podMonitor, "spec.podMetricsEndpoints");
        assertThat(endpoints).hasSize(1);
        assertThat(containerPortNames()).contains((String) endpoints.getFirst().get("port"));
        var response = get((String) endpoints.getFirst().get("path"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).containsPattern("(?m)^netpoll_goroutines\\{.*} [0-9.]+$");
    }

    @Test
    void theGracePeriodOutlastsThePreStopPauseAndTheShutdownPhase() throws Exception {
        List<String> preStop = at(container, "lifecycle.preStop.exec.command");
        assertThat(preStop).hasSize(2).first().isEqualTo("sleep");
        long pause = Long.parseLong(preStop.get(1));
        assertThat(env).containsEntry("SERVER_SHUTDOWN", "graceful");
        Duration shutdownPhase = DurationStyle.detectAndParse(env.get("SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE"));
        // What the running service took from the manifest, not only what the manifest says.
        assertThat(application.getEnvironment().getProperty("spring.lifecycle.timeout-per-shutdown-phase"))
                .isEqualTo(env.get("SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE"));
        int grace = at(deployment, "spec.template.spec.terminationGracePeriodSeconds");
        assertThat(pause).as("preStop pause").isPositive();
        // At least 5 s for the JVM to exit after the last phase, before SIGKILL.
        assertThat((long) grace).isGreaterThanOrEqualTo(pause + shutdownPhase.toSeconds() + 5);
    }

    @Test
    void portsAndLabelsAgreeBetweenTheDeploymentServicePodMonitorAutoscalerAndBudget() throws Exception {
        Map<String, String> pod = podLabels();
        assertThat(pod).containsAllEntriesOf(at(deployment, "spec.selector.matchLabels"));

        Map<String, Object> service = KubernetesManifests.read("service.yaml");
        assertThat(pod).containsAllEntriesOf(at(service, "spec.selector"));
        List<Map<String, Object>> servicePorts = at(service, "spec.ports");
        assertThat(servicePorts).allSatisfy(p -> assertThat(containerPortNames()).contains((String) p.get("targetPort")));

        Map<String, Object> podMonitor = KubernetesManifests.read("podmonitor.yaml");
        assertThat(pod).containsAllEntriesOf(at(podMonitor, "spec.selector.matchLabels"));

        Map<String, Object> budget = KubernetesManifests.read("pdb.yaml");
        assertThat(pod).containsAllEntriesOf(at(budget, "spec.selector.matchLabels"));
        int minAvailable = at(budget, "spec.minAvailable");
        int replicas = at(deployment, "spec.replicas");
        assertThat(minAvailable).as("a drain can still evict a pod").isLessThan(replicas);

        Map<String, Object> autoscaler = KubernetesManifests.read("hpa.yaml");
        assertThat((String) at(autoscaler, "spec.scaleTargetRef.kind")).isEqualTo(deployment.get("kind"));
        assertThat((String) at(autoscaler, "spec.scaleTargetRef.name")).isEqualTo(at(deployment, "metadata.name"));
        assertThat((int) at(autoscaler, "spec.minReplicas")).isGreaterThan(minAvailable);
        // Utilization is measured against requests: without a CPU request the HPA cannot scale.
        assertThat((Object) at(container, "resources.requests.cpu")).isNotNull();
    }

    @Test
    void theContainerRunsAsTheImageUserOnAReadOnlyRootWithAWritableTemporaryDirectory() throws Exception {
        String dockerfile = Files.readString(Environment.repositoryRoot().resolve("docker/Dockerfile"));
        var user = Pattern.compile("(?m)^USER (\\d+)$").matcher(dockerfile);
        assertThat(user.find()).isTrue();
        assertThat((boolean) at(deployment, "spec.template.spec.securityContext.runAsNonRoot")).isTrue();
        assertThat((int) at(deployment, "spec.template.spec.securityContext.runAsUser")).isEqualTo(Integer.parseInt(user.group(1)));
        assertThat((boolean) at(container, "securityContext.readOnlyRootFilesystem")).isTrue();
        assertThat((boolean) at(container, "securityContext.allowPrivilegeEscalation")).isFalse();

        var tmpdir = Pattern.compile("-Djava\\.io\\.tmpdir=(\\S+)").matcher(env.get("JAVA_TOOL_OPTIONS"));
        assertThat(tmpdir.find()).as("java.io.tmpdir set").isTrue();
        List<Map<String, Object>> mounts = at(container, "volumeMounts");
        String volume = mounts.stream().filter(m -> tmpdir.group(1).equals(m.get("mountPath"))).map(m -> (String) m.get("name"))
                .findFirst().orElseThrow(() -> new AssertionError("nothing mounted at " + tmpdir.group(1)));
        List<Map<String, Object>> volumes = at(deployment, "spec.template.spec.volumes");
        assertThat(volumes).filteredOn(v -> volume.equals(v.get("name"))).singleElement()
                .satisfies(v -> assertThat(v).containsKey("emptyDir"));
    }

    @Test
    void theJvmIsSizedFromTheContainerLimitsWithRoomOutsideTheHeap() {
        var percentage = Pattern.compile("-XX:MaxRAMPercentage=(\\d+)").matcher(env.get("JAVA_TOOL_OPTIONS"));
        assertThat(percentage.find()).as("heap sized from the memory limit").isTrue();
        assertThat(env.get("JAVA_TOOL_OPTIONS")).contains("--enable-native-access=ALL-UNNAMED").doesNotContain("-Xmx");
        double memoryLimit = KubernetesManifests.quantity(at(container, "resources.limits.memory"));
        double memoryRequest = KubernetesManifests.quantity(at(container, "resources.requests.memory"));
        // A request below the limit lets the node overcommit, and the JVM's heap would be killed, not collected.
        assertThat(memoryRequest).isEqualTo(memoryLimit);
        double outsideHeap = memoryLimit * (100 - Integer.parseInt(percentage.group(1))) / 100;
        assertThat(outsideHeap).as("bytes for metaspace, stacks and buffers").isGreaterThanOrEqualTo(128 * 1024 * 1024);
        // The CPU limit is what the JVM counts as processors, and so the scheduler's carriers.
        assertThat(KubernetesManifests.quantity(at(container, "resources.limits.cpu"))).isGreaterThanOrEqualTo(1);
    }

    @Test
    void theImageIsTheOneTheDockerfileBuildsAndTheKustomizationListsEveryManifest() throws Exception {
        assertThat((String) at(container, "image")).startsWith("netpoll-sample-service:");
        assertThat(Files.readString(Environment.repositoryRoot().resolve("docker/Dockerfile")))
                .contains("docker build -f docker/Dockerfile -t netpoll-sample-service .");
        List<String> listed = at(KubernetesManifests.read("kustomization.yaml"), "resources");
        try (var files = Files.list(KubernetesManifests.DIRECTORY)) {
            assertThat(listed).containsExactlyInAnyOrderElementsOf(files.map(f -> f.getFileName().toString())
                    .filter(name -> name.endsWith(".yaml") && !name.equals("kustomization.yaml"))
                    .collect(Collectors.toList()));
        }
    }
}
