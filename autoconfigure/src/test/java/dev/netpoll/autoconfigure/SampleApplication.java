package dev.netpoll.autoconfigure;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseCookie;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.CookieValue;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** An ordinary Spring MVC application, as a user would write it, for the integration tests. */
@SpringBootApplication
public class SampleApplication {

    /** Runs the application in a process of its own, as a user's {@code main} does. */
    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }

    record Item(@NotBlank String name, @Min(1) int quantity) {
    }

    @RestController
    static class Endpoints {

        @GetMapping("/hello")
        Map<String, String> hello() {
            return Map.of("message", "hello");
        }

        @PostMapping("/items")
        @ResponseStatus(HttpStatus.CREATED)
        Item create(@Valid @RequestBody Item item) {
            return item;
        }

        @GetMapping("/items/{id}")
        Map<String, Object> item(@PathVariable long id) {
            return Map.of("id", id);
        }

        @GetMapping("/search")
        Map<String, Object> search(@RequestParam String q, @RequestParam(defaultValue = "1") int page,
                @RequestParam(required = false) String[] tag) {
            return Map.of("q", q, "page", page, "tags", tag == null ? "" : String.join(",", tag));
        }

        @PostMapping(path = "/form", consumes = "application/x-www-form-urlencoded")
        Map<String, String> form(@RequestParam String name, @RequestParam String city) {
            return Map.of("name", name, "city", city);
        }

        @GetMapping("/boom")
        String boom() {
            throw new IllegalStateException("boom");
        }

        @GetMapping("/redirect")
        void redirect(HttpServletResponse response) throws IOException {
            response.sendRedirect("/hello");
        }

        @GetMapping("/cookie")
        ResponseEntity<String> cookie(@CookieValue(name = "seen", required = false) String seen) {
            var cookie = ResponseCookie.from("seen", "yes").path("/").httpOnly(true).sameSite("Strict").build();
            return ResponseEntity.ok().header(HttpHeaders.SET_COOKIE, cookie.toString()).body("seen=" + seen);
        }

        @GetMapping("/big")
        void big(@RequestParam int mb, HttpServletResponse response) throws IOException {
            response.setContentType("application/octet-stream");
            byte[] chunk = new byte[64 * 1024];
            Arrays.fill(chunk, (byte) 'x');
            OutputStream out = response.getOutputStream();
            for (int i = 0; i < mb * 16; i++) {
                out.write(chunk);
            }
        }

        @PostMapping("/count")
        Map<String, Long> count(InputStream body) throws IOException {
            long total = 0;
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = body.read(buffer)) > 0; ) {
                total += n;
            }
            return Map.of("bytes", total);
        }

        @GetMapping("/slow")
        String slow(@RequestParam long ms) throws InterruptedException {
            Thread.sleep(ms);
            return "slept " + ms;
        }
    }

    @Bean
    FilterRegistrationBean<Filter> secondFilter() {
        var registration = new FilterRegistrationBean<Filter>((request, response, chain) -> {
            ((HttpServletResponse) response).addHeader("X-Filters", "second");
            chain.doFilter(request, response);
        });
        registration.setOrder(2);
        return registration;
    }

    @Bean
    FilterRegistrationBean<Filter> firstFilter() {
        var registration = new FilterRegistrationBean<Filter>((request, response, chain) -> {
            ((HttpServletResponse) response).addHeader("X-Filters", "first");
            chain.doFilter(request, response);
        });
        registration.setOrder(1);
        return registration;
    }
}
