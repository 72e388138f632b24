package dev.netpoll.autoconfigure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.context.request.async.WebAsyncTask;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/** Spring MVC's async return types, as users write them. */
@RestController
class AsyncEndpoints {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @GetMapping("/async/callable")
    Callable<String> callable() {
        return () -> {
            Thread.sleep(50);
            return "callable done";
        };
    }

    @GetMapping("/async/deferred")
    DeferredResult<String> deferred() {
        var result = new DeferredResult<String>();
        timer.schedule(() -> result.setResult("deferred done"), 50, TimeUnit.MILLISECONDS);
        return result;
    }

    @GetMapping("/async/deferred-timeout")
    DeferredResult<String> deferredTimeout() {
        return new DeferredResult<>(200L); // never set: Spring's timeout handling answers 503
    }

    @GetMapping("/async/future")
    CompletableFuture<String> future() {
        return CompletableFuture.supplyAsync(() -> "future done", CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS));
    }

    @GetMapping("/async/task")
    WebAsyncTask<String> task() {
        return new WebAsyncTask<>(5_000, () -> "task done");
    }

    @GetMapping("/async/stream")
    StreamingResponseBody stream() {
        return out -> {
            for (int i = 0; i < 3; i++) {
                out.write(("chunk" + i + ";").getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        };
    }

    @GetMapping("/async/emitter")
    ResponseBodyEmitter emitter() {
        var emitter = new ResponseBodyEmitter();
        timer.execute(() -> {
            try {
                for (int i = 0; i < 3; i++) {
                    emitter.send("part" + i + ";");
                }
                emitter.complete();
            } catch (IOException e) {
                emitter.completeWithError(e);
            }
        });
        return emitter;
    }

    @GetMapping("/async/sse")
    SseEmitter sse() {
        var emitter = new SseEmitter(10_000L);
        timer.execute(() -> {
            try {
                for (int i = 0; i < 5; i++) {
                    emitter.send(SseEmitter.event().id(String.valueOf(i)).data("event " + i));
                }
                emitter.complete();
            } catch (IOException e) {
                emitter.completeWithError(e);
            }
        });
        return emitter;
    }

    @GetMapping(path = "/text", produces = "text/plain")
    String text(@org.springframework.web.bind.annotation.RequestParam int kb) {
        return "netpoll ".repeat(kb * 128);
    }

    @GetMapping("/text-stream")
    org.springframework.http.ResponseEntity<StreamingResponseBody> textStream() {
        StreamingResponseBody body = out -> {
            for (int i = 0; i < 40; i++) {
                out.write(("line " + i + " " + "x".repeat(1000) + "\n").getBytes(StandardCharsets.US_ASCII));
            }
        };
        return org.springframework.http.ResponseEntity.ok().contentType(org.springframework.http.MediaType.TEXT_PLAIN).body(body);
    }

    @GetMapping(path = "/pre-encoded", produces = "text/plain")
    org.springframework.http.ResponseEntity<byte[]> preEncoded() {
        return org.springframework.http.ResponseEntity.ok().header("Content-Encoding", "identity")
                .body("already ".repeat(1000).getBytes(StandardCharsets.US_ASCII));
    }

    @org.springframework.web.bind.annotation.PostMapping("/upload")
    java.util.Map<String, Object> upload(@org.springframework.web.bind.annotation.RequestParam String description,
            @org.springframework.web.bind.annotation.RequestParam org.springframework.web.multipart.MultipartFile file) throws IOException {
        var crc = new java.util.zip.CRC32();
        try (var in = file.getInputStream()) {
            byte[] chunk = new byte[64 * 1024];
            for (int n; (n = in.read(chunk)) > 0; ) {
                crc.update(chunk, 0, n);
            }
        }
        return java.util.Map.of("description", description, "name", String.valueOf(file.getOriginalFilename()),
                "size", file.getSize(), "crc", crc.getValue());
    }

    /** Subscribers of {@link #broadcast}; the test publishes to all of them. */
    final java.util.List<SseEmitter> subscribers = new java.util.concurrent.CopyOnWriteArrayList<>();

    @GetMapping("/async/broadcast")
    SseEmitter subscribe() {
        var emitter = new SseEmitter(Duration.ofMinutes(5).toMillis());
        emitter.onCompletion(() -> subscribers.remove(emitter));
        subscribers.add(emitter);
        return emitter;
    }

    /** Sends {@code data} to every subscriber in turn. */
    void broadcast(String data) throws IOException {
        for (SseEmitter emitter : subscribers) {
            emitter.send(data);
        }
    }

    void completeAll() {
        subscribers.forEach(SseEmitter::complete);
    }

    /** Never ends by itself: an event every 50 ms until the client goes away. */
    @GetMapping("/async/sse-forever")
    SseEmitter sseForever() {
        var emitter = new SseEmitter(Duration.ofMinutes(5).toMillis());
        var ticks = timer.scheduleAtFixedRate(() -> {
            try {
                emitter.send("tick");
            } catch (IOException | IllegalStateException e) {
                emitter.completeWithError(e);
                throw new RuntimeException(e); // cancels the schedule
            }
        }, 0, 50, TimeUnit.MILLISECONDS);
        emitter.onCompletion(() -> ticks.cancel(false));
        return emitter;
    }
}
