package dev.netpoll.autoconfigure;

import dev.netpoll.http.HttpServer;
import java.time.Duration;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.web.server.GracefulShutdownCallback;
import org.springframework.boot.web.server.GracefulShutdownResult;

/**
 * One graceful shutdown of a running {@link HttpServer}: waits on a thread of its own until the
 * requests in flight have finished ({@code IDLE}) or until {@link #abort()} says Spring's shutdown
 * phase timed out and the server is being stopped ({@code REQUESTS_ACTIVE}). The callback is
 * called exactly once, on that thread.
 *
 * <p>The wait is cut into short slices of {@link HttpServer#shutdownGracefully} rather than one
 * long one, so that an abort is seen within a slice even while a request stays blocked in a
 * servlet that the stop cannot end (its connection stays open until the servlet returns).
 */
final class GracefulShutdown {

    private static final Log logger = LogFactory.getLog(GracefulShutdown.class);

    /** How soon an abort is noticed. */
    private static final Duration SLICE = Duration.ofMillis(100);

    private final HttpServer server;
    // Set by Spring's context thread (stop), read by the shutdown thread.
    private volatile boolean aborted;

    GracefulShutdown(HttpServer server) {
        this.server = server;
    }

    /** Starts waiting for the requests in flight; returns at once. */
    void start(GracefulShutdownCallback callback) {
        logger.info("Commencing graceful shutdown. Waiting for active requests to complete");
        Thread.ofPlatform().name("netpoll-shutdown").daemon(true).start(() -> callback.shutdownComplete(await()));
    }

    private GracefulShutdownResult await() {
        for (;;) {
            boolean idle = server.shutdownGracefully(SLICE);
            // Checked after the slice: a stop closes every connection, which must not pass for idle.
            if (aborted) {
                logger.info("Graceful shutdown aborted with one or more requests still active");
                return GracefulShutdownResult.REQUESTS_ACTIVE;
            }
            if (idle) {
                logger.info("Graceful shutdown complete");
                return GracefulShutdownResult.IDLE;
            }
        }
    }

    /** Ends the wait: the callback reports {@code REQUESTS_ACTIVE} within a slice. */
    void abort() {
        aborted = true;
    }
}
