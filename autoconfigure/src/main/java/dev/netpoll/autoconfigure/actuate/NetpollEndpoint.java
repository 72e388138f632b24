package dev.netpoll.autoconfigure.actuate;

import dev.netpoll.autoconfigure.NetpollServers;
import dev.netpoll.autoconfigure.NetpollWebServer;
import dev.netpoll.http.ConnectionLimit;
import dev.netpoll.http.HttpConfig;
import dev.netpoll.http.HttpConnection;
import dev.netpoll.http.HttpServer;
import dev.netpoll.runtime.RuntimeStats;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * {@code /actuator/netpoll}: the runtime of each Netpoll server, like Go's goroutine profile. The
 * transport and configuration in effect, the counts of {@link RuntimeStats}, and the live tasks
 * grouped by what they do (parked in read, parked in write, in the application), each with its
 * connection's remote address, age and current request line.
 *
 * @since 0.1.0
 */
@Endpoint(id = "netpoll")
public class NetpollEndpoint {

    /** At most this many tasks are listed per group; the group's count is always exact. */
    static final int MAX_LISTED = 1000;

    private final NetpollServers servers;

    public NetpollEndpoint(NetpollServers servers) {
        this.servers = servers;
    }

    /** The whole view, one entry per server namespace. */
    public record Runtime(Map<String, Server> servers) {
    }

    public record Server(int port, String transport, int pollerThreads, Map<String, Object> configuration,
            RuntimeStats stats, long requestsInFlight, long connectionsAccepted, Map<String, TaskGroup> tasks) {
    }

    public record TaskGroup(int count, List<Task> listed) {
    }

    public record Task(String remoteAddress, long ageMillis, long requests, String request) {
    }

    @ReadOperation
    public Runtime runtime() {
        Map<String, Server> view = new TreeMap<>();
        servers.all().forEach((namespace, server) -> {
            Server described = describe(server);
            if (described != null) {
                view.put(namespace, described);
            }
        });
        return new Runtime(view);
    }

    private static Server describe(NetpollWebServer server) {
        HttpServer engine = server.getHttpServer();
        if (engine == null) {
            return null;
        }
        RuntimeStats stats = engine.stats();
        long now = System.currentTimeMillis();
        Map<String, List<Task>> groups = new TreeMap<>();
        Map<String, Integer> counts = new TreeMap<>();
        for (HttpConnection connection : engine.connections()) {
            String activity = connection.activity();
            counts.merge(activity, 1, Integer::sum);
            List<Task> group = groups.computeIfAbsent(activity, k -> new ArrayList<>());
            if (group.size() < MAX_LISTED) {
                InetSocketAddress remote = connection.conn().remoteAddress();
                group.add(new Task(remote == null ? null : remote.getAddress().getHostAddress() + ":" + remote.getPort(),
                        now - connection.openedAtMillis(), connection.requests(), connection.currentRequest()));
            }
        }
        Map<String, TaskGroup> tasks = new LinkedHashMap<>();
        tasks.put("parked in accept", new TaskGroup((int) stats.parkedAccept(), List.of()));
        groups.forEach((activity, listed) -> tasks.put(activity, new TaskGroup(counts.get(activity), listed)));
        return new Server(engine.port(), stats.transport(), stats.pollerThreads(), configuration(engine.httpConfig()),
                stats, engine.requestsInFlight(), engine.connectionsAccepted(), tasks);
    }

    private static Map<String, Object> configuration(HttpConfig config) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("maxHeadSize", config.maxHeadSize());
        map.put("maxHeaderCount", config.maxHeaderCount());
        map.put("maxBodySize", config.maxBodySize());
        map.put("maxConnections", config.maxConnections());
        map.put("descriptorLimit", ConnectionLimit.descriptorLimit().isPresent() ? ConnectionLimit.descriptorLimit().getAsLong() : null);
        map.put("headTimeout", config.headTimeout().toString());
        map.put("idleTimeout", config.idleTimeout().toString());
        map.put("bodyReadTimeout", config.bodyReadTimeout().toString());
        map.put("writeTimeout", config.writeTimeout().toString());
        map.put("maxDrainSize", config.maxDrainSize());
        map.put("backlog", config.backlog());
        return map;
    }
}
