package dev.netpoll.bench.spring;

import java.util.concurrent.atomic.AtomicLong;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The minimal Spring MVC service of the benchmark: {@code GET /} answers {@code Request #N}. */
@SpringBootApplication
@RestController
public class HelloApplication {

    private final AtomicLong counter = new AtomicLong();

    @GetMapping("/")
    String hello() {
        return "Request #" + counter.incrementAndGet() + "\n";
    }

    public static void main(String[] args) {
        SpringApplication.run(HelloApplication.class, args);
    }
}
