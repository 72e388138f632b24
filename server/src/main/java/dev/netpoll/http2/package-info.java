/**
 * Layer 5, beside {@code http}: HTTP/2 (RFC 9113) on a connection the HTTP layer hands over
 * (ALPN {@code h2}, the h2c preface, or an {@code Upgrade: h2c} request). The connection's task
 * reads frames and owns the connection's state; each stream's request runs on a task of its own
 * (one goroutine per stream) over the same {@link dev.netpoll.http.HttpRequest} and
 * {@link dev.netpoll.http.HttpResponse} the servlet layer sees for HTTP/1.1, writing through one
 * per-connection writer that serialises frames and honours flow control. HPACK (RFC 7541) is
 * ours: a static table, a bounded dynamic table and the Huffman code, typed in as data. Depends
 * on {@code http}, {@code tls}, {@code runtime}, {@code poll} and {@code sys}.
 */
package dev.netpoll.http2;
