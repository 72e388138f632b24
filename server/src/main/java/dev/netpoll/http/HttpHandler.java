package dev.netpoll.http;

/**
 * Application code for one request, called on the connection's task. It may block (read the body,
 * call other services): only this connection's task waits. Returning ends the response; an
 * exception before anything was sent becomes a 500, after that it closes the connection.
 */
@FunctionalInterface
public interface HttpHandler {

    void handle(HttpRequest request, HttpResponse response) throws Exception;
}
