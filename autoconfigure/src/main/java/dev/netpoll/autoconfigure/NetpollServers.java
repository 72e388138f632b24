package dev.netpoll.autoconfigure;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;

/**
 * The Netpoll servers of this application by server namespace ({@code "main"}, or
 * {@code "management"} for the management port's child context), as they start and stop. Events
 * of a child context reach listeners of its parent, so one instance sees them all.
 *
 * @since 0.1.0
 */
public class NetpollServers implements ApplicationListener<ApplicationEvent> {

    private final Map<String, NetpollWebServer> servers = new ConcurrentHashMap<>();

    /** The namespace Netpoll's metrics and endpoint use for a context's server. */
    public static String namespace(WebServerApplicationContext context) {
        String namespace = context.getServerNamespace();
        return namespace == null ? "main" : namespace;
    }

    @Override
    public void onApplicationEvent(ApplicationEvent event) {
        if (event instanceof WebServerInitializedEvent started && started.getWebServer() instanceof NetpollWebServer server) {
            servers.put(namespace(started.getApplicationContext()), server);
        } else if (event instanceof ContextClosedEvent closed
                && closed.getApplicationContext() instanceof WebServerApplicationContext context) {
            servers.remove(namespace(context));
        }
    }

    public Map<String, NetpollWebServer> all() {
        return Map.copyOf(servers);
    }
}
