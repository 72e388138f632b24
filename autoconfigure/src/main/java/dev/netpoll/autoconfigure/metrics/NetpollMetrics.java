package dev.netpoll.autoconfigure.metrics;

import dev.netpoll.autoconfigure.NetpollServers;
import dev.netpoll.autoconfigure.NetpollWebServer;
import dev.netpoll.autoconfigure.WebSocketSupport;
import dev.netpoll.http.HttpServer;
import dev.netpoll.websocket.NetpollServerContainer;
import dev.netpoll.runtime.CarrierScheduler;
import dev.netpoll.runtime.RuntimeStats;
import dev.netpoll.tls.HandshakeStats;
import dev.netpoll.tls.TlsContext;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;

/**
 * Netpoll's meters in the vocabulary of Go's {@code go_goroutines} and {@code go_threads}: live
 * tasks against live OS threads, tasks parked by reason, the carrier scheduler, connections,
 * requests and the poller. Bound for each Netpoll server when it starts and removed when its
 * context closes; meters carry a {@code server} tag ({@code main}, {@code management}).
 * Micrometer's own {@code jvm.threads.*} names are left alone.
 *
 * @since 0.1.0
 */
public class NetpollMetrics implements ApplicationListener<ApplicationEvent> {

    private final MeterRegistry registry;
    private final Map<String, List<Meter>> bound = new ConcurrentHashMap<>();

    public NetpollMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void onApplicationEvent(ApplicationEvent event) {
        if (event instanceof WebServerInitializedEvent started && started.getWebServer() instanceof NetpollWebServer server) {
            bind(server, NetpollServers.namespace(started.getApplicationContext()));
        } else if (event instanceof ContextClosedEvent closed
                && closed.getApplicationContext() instanceof WebServerApplicationContext context) {
            unbind(NetpollServers.namespace(context));
        }
    }

    void bind(NetpollWebServer server, String namespace) {
        unbind(namespace);
        Tags tags = Tags.of("server", namespace);
        List<Meter> meters = new ArrayList<>();
        meters.add(Gauge.builder("netpoll.goroutines", server, stat(RuntimeStats::goroutines))
                .description("Number of live Netpoll tasks (goroutines): one per connection, plus the accept loop")
                .baseUnit("goroutines").tags(tags).register(registry));
        meters.add(Gauge.builder("netpoll.threads", () -> ManagementFactory.getThreadMXBean().getThreadCount())
                .description("Number of live OS (platform) threads of the JVM; virtual threads are not counted")
                .baseUnit("threads").tags(tags).register(registry));
        for (String reason : List.of("read", "write", "accept")) {
            ToDoubleFunction<RuntimeStats> parked = switch (reason) {
                case "read" -> RuntimeStats::parkedRead;
                case "write" -> RuntimeStats::parkedWrite;
                default -> RuntimeStats::parkedAccept;
            };
            meters.add(Gauge.builder("netpoll.goroutines.parked", server, stat(parked))
                    .description("Netpoll tasks parked waiting for their socket, by what they wait for")
                    .tags(tags).tag("reason", reason).register(registry));
        }
        meters.add(Gauge.builder("netpoll.scheduler.parallelism", CarrierScheduler::parallelism)
                .description("Carrier threads the virtual-thread scheduler may run at once (Go's GOMAXPROCS)")
                .tags(tags).register(registry));
        if (CarrierScheduler.reported()) {
            meters.add(Gauge.builder("netpoll.scheduler.pool.size", () -> CarrierScheduler.poolSize().orElse(0))
                    .description("Carrier threads that exist now").tags(tags).register(registry));
            meters.add(Gauge.builder("netpoll.scheduler.mounted", () -> CarrierScheduler.mounted().orElse(0))
                    .description("Tasks running on a carrier now").tags(tags).register(registry));
            meters.add(Gauge.builder("netpoll.scheduler.queued", () -> CarrierScheduler.queued().orElse(0))
                    .description("Tasks waiting for a carrier now (an estimate)").tags(tags).register(registry));
        }
        meters.add(Gauge.builder("netpoll.connections.active", server, engine(HttpServer::connectionsActive))
                .description("Connections open now").tags(tags).register(registry));
        // The limit itself, so that an alert can say "near the limit" without knowing the settings.
        meters.add(Gauge.builder("netpoll.connections.max", server, engine(e -> e.httpConfig().maxConnections()))
                .description("Connections served at once at most (server.netpoll.max-connections); at the limit accepting pauses")
                .tags(tags).register(registry));
        meters.add(FunctionCounter.builder("netpoll.connections.accepted", server, engine(HttpServer::connectionsAccepted))
                .description("Connections accepted").tags(tags).register(registry));
        meters.add(FunctionCounter.builder("netpoll.connections.rejected", server, engine(HttpServer::connectionLimitReached))
                .description("Times accepting paused because max-connections were open").tags(tags).register(registry));
        meters.add(Gauge.builder("netpoll.requests.active", server, engine(HttpServer::requestsInFlight))
                .description("Requests being served now").tags(tags).register(registry));
        meters.add(Gauge.builder("netpoll.http2.streams.active", server,
                        engine(e -> e.nextProtocol() instanceof dev.netpoll.http2.Http2Protocol h2 ? h2.activeStreams() : 0))
                .description("HTTP/2 streams whose request is in progress now, on every connection (each runs on a task of its own)")
                .tags(tags).register(registry));
        meters.add(FunctionCounter.builder("netpoll.poller.waits", server, stat(RuntimeStats::pollerWaits))
                .description("epoll_wait calls").tags(tags).register(registry));
        meters.add(FunctionCounter.builder("netpoll.poller.events", server, stat(RuntimeStats::pollerEvents))
                .description("Readiness events delivered to descriptors").tags(tags).register(registry));
        meters.add(FunctionCounter.builder("netpoll.poller.wakeups", server, stat(RuntimeStats::pollerWakeups))
                .description("Parked tasks the poller made runnable").tags(tags).register(registry));
        meters.add(FunctionCounter.builder("netpoll.poller.monitor.wakeups", server, stat(RuntimeStats::monitorWakeups))
                .description("Parked tasks the poller thread made runnable itself because no carrier was free")
                .tags(tags).register(registry));
        meters.add(FunctionCounter.builder("netpoll.poller.restarts", server, stat(RuntimeStats::pollTaskRestarts))
                .description("Poll tasks restarted after a failed system call").tags(tags).register(registry));
        meters.add(Gauge.builder("netpoll.poller.descriptors", server, stat(RuntimeStats::registeredFds))
                .description("Descriptors registered with epoll: listeners, and connections since their first wait for readiness").tags(tags).register(registry));
        // Without Tyrus the container class cannot even be loaded.
        NetpollServerContainer websocket = WebSocketSupport.present()
                ? NetpollServerContainer.of(server.getServletContext()) : null;
        if (websocket != null) {
            meters.add(Gauge.builder("netpoll.websocket.sessions", websocket, NetpollServerContainer::sessionCount)
                    .description("WebSocket sessions open now, each a task parked on its connection between messages")
                    .baseUnit("sessions").tags(tags).register(registry));
        }
        HttpServer engine = server.getHttpServer();
        TlsContext tls = engine == null ? null : engine.tls();
        if (tls != null) {
            for (HandshakeStats.Result result : HandshakeStats.Result.values()) {
                meters.add(FunctionCounter.builder("netpoll.tls.handshakes", tls.handshakes(), stats -> stats.count(result))
                        .description("TLS handshakes finished, by result: success, not-tls (cleartext on the TLS port),"
                                + " timeout (not done within the head timeout) or failed")
                        .tags(tags).tag("result", result.tag()).register(registry));
            }
            meters.add(Gauge.builder("netpoll.tls.record.buffers", tls, TlsContext::recordBuffersLent)
                    .description("TLS record buffers held by connections now; an idle connection holds none")
                    .baseUnit("buffers").tags(tags).register(registry));
        }
        bound.put(namespace, meters);
    }

    void unbind(String namespace) {
        List<Meter> meters = bound.remove(namespace);
        if (meters != null) {
            meters.forEach(registry::remove);
        }
    }

    private static ToDoubleFunction<NetpollWebServer> stat(ToDoubleFunction<RuntimeStats> field) {
        return server -> {
            HttpServer engine = server.getHttpServer();
            return engine == null ? Double.NaN : field.applyAsDouble(engine.stats());
        };
    }

    private static ToDoubleFunction<NetpollWebServer> engine(ToDoubleFunction<HttpServer> field) {
        return server -> {
            HttpServer engine = server.getHttpServer();
            return engine == null ? Double.NaN : field.applyAsDouble(engine);
        };
    }
}
