package dev.netpoll.bench.spring;

import java.util.concurrent.atomic.AtomicLong;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The minimal Spring MVC service of the benchmarks: {@code GET /} answers {@code Request #N};
 * {@code GET /sleep?ms=N} answers after N ms and {@code POST /echo} returns its body, for the
 * rolling-restart check.
 */
@SpringBootApplication
@RestController
public class HelloApplication {

    private final AtomicLong counter = new AtomicLong();

    @GetMapping("/")
    String hello() {
        return "Request #" + counter.incrementAndGet() + "\n";
    }

    @GetMapping("/sleep")
    String sleep(@RequestParam(defaultValue = "500") long ms) throws InterruptedException {
        Thread.sleep(Math.clamp(ms, 0, 60_000));
        return "slept " + ms + "\n";
    }

    @PostMapping("/echo")
    String echo(@RequestBody String body) {
        return body;
    }

    public static void main(String[] args) {
        SpringApplication.run(HelloApplication.class, args);
    }
}
