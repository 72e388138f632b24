package dev.netpoll.sample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/**
 * The manifests of {@code deploy/kubernetes/}, read as plain YAML maps, with the few paths into
 * them the tests need. No cluster is needed (nor reachable here).
 */
final class KubernetesManifests {

    static final Path DIRECTORY = Environment.repositoryRoot().resolve("deploy/kubernetes");

    private KubernetesManifests() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> read(String file) throws Exception {
        return (Map<String, Object>) new Yaml().load(Files.readString(DIRECTORY.resolve(file)));
    }

    /** {@code path} like {@code "spec.template.spec"} into nested maps. */
    @SuppressWarnings("unchecked")
    static <T> T at(Map<String, Object> manifest, String path) {
        Object node = manifest;
        for (String key : path.split("\\.")) {
            node = ((Map<String, Object>) node).get(key);
            if (node == null) {
                throw new AssertionError("no " + path + " in " + manifest.get("kind"));
            }
        }
        return (T) node;
    }

    /** The Deployment's only container. */
    static Map<String, Object> container(Map<String, Object> deployment) {
        List<Map<String, Object>> containers = at(deployment, "spec.template.spec.containers");
        if (containers.size() != 1) {
            throw new AssertionError("expected one container, found " + containers.size());
        }
        return containers.getFirst();
    }

    /** The container's environment variables with literal values. */
    static Map<String, String> environment(Map<String, Object> container) {
        List<Map<String, Object>> env = at(container, "env");
        var values = new java.util.LinkedHashMap<String, String>();
        for (Map<String, Object> variable : env) {
            values.put((String) variable.get("name"), String.valueOf(variable.get("value")));
        }
        return values;
    }

    /** A Kubernetes quantity ({@code 512Mi}, {@code 1G}, {@code 500m}, {@code 2}) in base units. */
    static double quantity(Object value) {
        String text = String.valueOf(value);
        String[][] suffixes = {{"Ki", "1024"}, {"Mi", "1048576"}, {"Gi", "1073741824"}, {"k", "1e3"}, {"M", "1e6"},
                {"G", "1e9"}, {"m", "1e-3"}};
        for (String[] suffix : suffixes) {
            if (text.endsWith(suffix[0])) {
                return Double.parseDouble(text.substring(0, text.length() - suffix[0].length())) * Double.parseDouble(suffix[1]);
            }
        }
        return Double.parseDouble(text);
    }
}
