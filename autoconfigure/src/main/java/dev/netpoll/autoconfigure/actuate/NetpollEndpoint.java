package dev.netpoll.autoconfigure.actuate;

import dev.netpoll.autoconfigure.NetpollServers;
import dev.netpoll.autoconfigure.NetpollWebServer;
import dev.netpoll.autoconfigure.WebSocketSupport;
import dev.netpoll.http.ConnectionLimit;
import dev.netpoll.http.HttpConfig;
import dev.netpoll.http.HttpConnection;
import dev.netpoll.http.HttpServer;
import dev.netpoll.runtime.RuntimeStats;
import dev.netpoll.websocket.NetpollServerContainer;
import dev.netpoll.websocket.WebSocketSession;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * {@code /actuator/netpoll}: the runtime of each Netpoll server, like Go's goroutine profile. The
 * transport and configuration in effect, the counts of {@link RuntimeStats}, and the live tasks
 * grouped by what they do (parked in read, parked in write, in the application), each with its
 * connection's remote address, age and current request line.
 *
 * <p>{@code /actuator/netpoll/goroutines} is the goroutine dump, as Go's
 * {@code /debug/pprof/goroutine}: plain text, {@code ?debug=1} (the default) grouped by identical
 * stacks with counts, {@code ?debug=2} every task with its state, connection, request and stack.
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
            RuntimeStats stats, long requestsInFlight, long connectionsAccepted, Map<String, TaskGroup> tasks,
            @Nullable WebSockets websocket) {
    }

    /** The WebSocket sessions open now: how many, and the first of them with their endpoint path and age. */
    public record WebSockets(int sessions, List<WebSocketSessionView> listed) {
    }

    public record WebSocketSessionView(String path, @Nullable String remoteAddress, long ageMillis) {
    }

    public record TaskGroup(int count, List<Task> listed) {
    }

    /** One connection's task; {@code streams} lists an HTTP/2 connection's streams in progress, each on a task of its own. */
    public record Task(String remoteAddress, long ageMillis, long requests, String request, List<String> streams) {
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

    /**
     * The goroutine dump of every server: {@code debug} 1 groups identical stacks, 2 lists every
     * task. Null (404) for any other selector than {@code goroutines}.
     */
    @ReadOperation(produces = "text/plain;charset=UTF-8")
    public @Nullable String dump(@Selector String profile, @Nullable Integer debug) {
        if (!"goroutines".equals(profile)) {
            return null;
        }
        int level = debug == null ? 1 : debug;
        if (level != 1 && level != 2) {
            throw new InvalidEndpointRequestException("debug must be 1 (grouped by stack) or 2 (every goroutine), was " + level,
                    "debug must be 1 or 2");
        }
        StringBuilder out = new StringBuilder();
        new TreeMap<>(servers.all()).forEach((namespace, server) -> {
            HttpServer engine = server.getHttpServer();
            if (engine == null) {
                return;
            }
            out.append("# server ").append(namespace).append(", port ").append(engine.port()).append('\n');
            var tasks = GoroutineSnapshot.capture(engine);
            if (level == 1) {
                GoroutineProfile.grouped(tasks, out);
            } else {
                GoroutineProfile.full(tasks, out);
            }
        });
        return out.toString();
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
                        now - connection.openedAtMillis(), connection.requests(), connection.currentRequest(),
                        connection.requestsInProgress()));
            }
        }
        Map<String, TaskGroup> tasks = new LinkedHashMap<>();
        tasks.put("parked in accept", new TaskGroup((int) stats.parkedAccept(), List.of()));
        groups.forEach((activity, listed) -> tasks.put(activity, new TaskGroup(counts.get(activity), listed)));
        return new Server(engine.port(), stats.transport(), stats.pollerThreads(), configuration(engine.httpConfig()),
                stats, engine.requestsInFlight(), engine.connectionsAccepted(), tasks, websockets(server, now));
    }

    private static @Nullable WebSockets websockets(NetpollWebServer server, long now) {
        if (!WebSocketSupport.present()) {
            return null; // without Tyrus the container class cannot even be loaded
        }
        NetpollServerContainer container = NetpollServerContainer.of(server.getServletContext());
        if (container == null) {
            return null;
        }
        List<WebSocketSession> open = container.sessions();
        List<WebSocketSessionView> listed = new ArrayList<>();
        for (WebSocketSession session : open.subList(0, Math.min(open.size(), MAX_LISTED))) {
            InetSocketAddress remote = session.remoteAddress();
            listed.add(new WebSocketSessionView(session.path(),
                    remote == null ? null : remote.getAddress().getHostAddress() + ":" + remote.getPort(),
                    now - session.openedAtMillis()));
        }
        return new WebSockets(open.size(), listed);
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
        map.put("deferAccept", config.deferAccept().toString());
        return map;
    }
}
