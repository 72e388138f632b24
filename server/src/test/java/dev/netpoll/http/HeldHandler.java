package dev.netpoll.http;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A handler that holds {@code GET /slow} in the application until {@link #release()}, and answers
 * every request with {@code done N}, N being the length of the body it read.
 */
final class HeldHandler implements HttpHandler {

    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);

    @Override
    public void handle(HttpRequest request, HttpResponse response) throws Exception {
        if (request.path().equals("/slow")) {
            entered.countDown();
            released.await();
        }
        byte[] body = request.body().readAllBytes();
        response.body().write(("done " + body.length).getBytes(StandardCharsets.US_ASCII));
    }

    /** Whether a {@code /slow} request reached the handler within 5 s. */
    boolean entered() throws InterruptedException {
        return entered.await(5, TimeUnit.SECONDS);
    }

    void release() {
        released.countDown();
    }
}
