/**
 * The TLS layer, between {@code runtime} and {@code http} (sys, poll, runtime, tls, http,
 * servlet): TLS on the poller's descriptors. A {@link dev.netpoll.tls.TlsConn} is a
 * {@link dev.netpoll.poll.Conn} that encrypts, as Go's {@code crypto/tls.Conn} is a
 * {@code net.Conn}: it wraps a plain connection with the JDK's {@code SSLEngine}, runs the
 * handshake on the first read or write in the connection's own task (parking on the poller like any
 * read), and the HTTP layer above neither knows nor cares. Depends on {@code poll} and {@code sys}
 * only.
 */
package dev.netpoll.tls;
