package dev.netpoll.sample;

import dev.netpoll.autoconfigure.NetpollWebServer;
import dev.netpoll.http.HttpServer;
import dev.netpoll.runtime.RuntimeStats;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import org.springframework.web.server.ResponseStatusException;

/**
 * The demo of Go's netpoller article on Netpoll: every request is a task; sleeping and waiting on
 * a downstream call park the task, not an OS thread, which {@code /runtime} shows.
 */
@RestController
public class DemoController {

    /** Longest sleep a request may ask for. */
    static final long MAX_MILLIS = 60_000;

    private final AtomicLong counter = new AtomicLong();
    private final WebServerApplicationContext context;
    private final RestClient downstream;

    public DemoController(WebServerApplicationContext context) {
        this.context = context;
        // Spring Web's RestClient on the JDK HttpClient: a blocking call that parks the task.
        this.downstream = RestClient.create();
    }

    @GetMapping(path = "/", produces = MediaType.TEXT_PLAIN_VALUE)
    String hello() {
        return "Request #" + counter.incrementAndGet() + "\n";
    }

    @GetMapping(path = "/sleep", produces = MediaType.TEXT_PLAIN_VALUE)
    String sleep(@RequestParam(defaultValue = "0") long ms) throws InterruptedException {
        Thread.sleep(checked(ms));
        return "slept " + ms + " ms\n";
    }

    /** Calls this service's own /sleep over HTTP: the task parks on network I/O meanwhile. */
    @GetMapping(path = "/downstream", produces = MediaType.TEXT_PLAIN_VALUE)
    String downstream(@RequestParam(defaultValue = "0") long ms) {
        String answer = downstream.get()
                .uri("http://127.0.0.1:" + context.getWebServer().getPort() + "/sleep?ms=" + checked(ms))
                .retrieve()
                .body(String.class);
        return "downstream said: " + answer;
    }

    @PostMapping("/echo")
    ResponseEntity<byte[]> echo(@RequestBody(required = false) byte[] body,
            @RequestHeader(name = "Content-Type", required = false) String type) {
        return ResponseEntity.ok()
                .contentType(type == null ? MediaType.APPLICATION_OCTET_STREAM : MediaType.parseMediaType(type))
                .body(body == null ? new byte[0] : body);
    }

    @GetMapping("/runtime")
    Map<String, Object> runtime() {
        HttpServer engine = ((NetpollWebServer) context.getWebServer()).getHttpServer();
        RuntimeStats stats = engine.stats();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("goroutines", stats.goroutines());
        view.put("threads", stats.osThreads());
        view.put("parked", Map.of("read", stats.parkedRead(), "write", stats.parkedWrite(), "accept", stats.parkedAccept()));
        view.put("requestsInFlight", engine.requestsInFlight());
        view.put("transport", stats.transport());
        view.put("parallelism", stats.parallelism());
        return view;
    }

    private static long checked(long ms) {
        if (ms < 0 || ms > MAX_MILLIS) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
                    "ms must be between 0 and " + MAX_MILLIS + ", was " + ms);
        }
        return ms;
    }
}
