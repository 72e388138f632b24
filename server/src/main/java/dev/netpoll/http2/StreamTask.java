package dev.netpoll.http2;

import dev.netpoll.http.AccessLog;
import dev.netpoll.http.BodyException;
import dev.netpoll.http.HttpRequest;
import dev.netpoll.http.HttpResponse;
import java.io.IOException;

/**
 * One stream's request, on a task of its own (one goroutine per stream): runs the handler over
 * the stream's request and a response on a {@link StreamOutput}, finishes the response, and
 * leaves the connection's table. As on HTTP/1.1, a failure before anything was sent becomes the
 * server's error answer (500, or the 4xx a body error carries); after that, the stream is reset.
 */
final class StreamTask implements Runnable {

    private static final System.Logger LOG = System.getLogger(StreamTask.class.getName());

    private final Http2Connection connection;
    private final H2Stream stream;
    private final HttpRequest request;

    StreamTask(Http2Connection connection, H2Stream stream, HttpRequest request) {
        this.connection = connection;
        this.stream = stream;
        this.request = request;
    }

    private static boolean stalled(Throwable failure) {
        return rootStall(failure) != null;
    }

    /** The WindowStallException in {@code failure}'s causes (the servlet layer may wrap it), or null. */
    private static Throwable rootStall(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof WindowStallException) {
                return t;
            }
        }
        return null;
    }

    @Override
    public void run() {
        stream.task = Thread.currentThread();
        var server = connection.server;
        server.requestStarted();
        long start = System.nanoTime();
        boolean head = "HEAD".equals(request.method());
        var output = new StreamOutput(stream, connection.writer, connection.http);
        boolean acceptsGzip = connection.http.compression().accepts(request.header("accept-encoding"),
                request.header("user-agent"));
        var response = new HttpResponse(output, head, acceptsGzip);
        HttpResponse answered = response;
        try {
            Throwable failure = null;
            try {
                server.handler().handle(request, response);
            } catch (Throwable t) {
                failure = t;
            }
            if (!response.endExchange()) {
                // A thread the handler handed the exchange to is inside a body operation: the
                // stream is theirs; resetting it wakes them out of a window wait or a body read.
                connection.resetStream(stream, ErrorCode.CANCEL);
                response.awaitExchangeExit(connection.http.writeTimeout().toNanos());
                return;
            }
            if (stalled(failure)) {
                // The zero-window stall: the client keeps the connection's or the stream's window
                // shut. Its connection is cut off, as a write stalled past the timeout is on HTTP/1.1.
                throw (WindowStallException) rootStall(failure);
            }
            if (failure == null) {
                output.finish();
            } else if (!output.isCommitted() && !stream.isReset()) {
                int status = failure instanceof BodyException body ? body.status() : 500;
                if (status == 500) {
                    LOG.log(System.Logger.Level.WARNING, "handler failed on " + request.requestLine(), failure);
                }
                answered = new HttpResponse(output, head, acceptsGzip);
                answered.statusPage(status, status == 500 ? null : failure.getMessage());
                output.finish();
            } else {
                connection.resetStream(stream, ErrorCode.INTERNAL_ERROR);
            }
        } catch (WindowStallException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> e.getMessage() + "; closing the connection");
            connection.close();
        } catch (IOException e) {
            if (!stream.isReset()) {
                connection.resetStream(stream, ErrorCode.INTERNAL_ERROR);
            }
        } finally {
            output.endGzip();
            if (!stream.remoteEnded && !stream.isReset()) {
                // Section 8.1: the response is complete; the rest of the request body is not wanted.
                connection.resetStream(stream, ErrorCode.NO_ERROR);
            }
            connection.streamEnded(stream);
            server.requestFinished();
            AccessLog log = server.accessLog();
            if (log != null) {
                log.log(request, answered, output.bytesWritten(), start);
            }
        }
    }
}
