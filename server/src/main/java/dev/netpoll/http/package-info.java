/**
 * Layer 4: HTTP/1.1 on the poller. One task per connection runs {@link
 * dev.netpoll.http.HttpConnection}: a strict {@link dev.netpoll.http.RequestParser}, body
 * streams per framing, a response writer that sends head and body in one write, limits and
 * timeouts from {@link dev.netpoll.http.HttpConfig}, and the small {@link
 * dev.netpoll.http.HttpHandler} interface the servlet layer and benchmarks sit on.
 */
package dev.netpoll.http;
