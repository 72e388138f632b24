package dev.netpoll.http2;

import dev.netpoll.http.HttpRequest;
import dev.netpoll.http.HttpServer;
import dev.netpoll.http.NextProtocol;
import dev.netpoll.poll.Conn;
import dev.netpoll.tls.TlsConn;
import java.util.concurrent.atomic.AtomicLong;

/**
 * HTTP/2 as the protocol an {@link HttpServer} hands connections to: {@code h2} by ALPN on TLS
 * ports and, when {@code cleartext} is on, {@code h2c} by prior knowledge or by
 * {@code Upgrade: h2c} on plain ones. Counts the server's open streams for the gauges. One per
 * server; any thread.
 */
public final class Http2Protocol implements NextProtocol {

    private final Http2Config config;
    private final boolean cleartext;
    private final AtomicLong activeStreams = new AtomicLong();
    private final AtomicLong streamsTotal = new AtomicLong();

    public Http2Protocol(Http2Config config, boolean cleartext) {
        this.config = config;
        this.cleartext = cleartext;
    }

    public Http2Config config() {
        return config;
    }

    @Override
    public String name() {
        return "h2";
    }

    @Override
    public byte[] cleartextPreface() {
        return cleartext ? Frame.PREFACE.clone() : null;
    }

    @Override
    public String upgradeToken() {
        return cleartext ? "h2c" : null;
    }

    @Override
    public Session open(Conn conn, TlsConn tls, HttpServer server, byte[] alreadyRead, HttpRequest upgraded) {
        return new Http2Connection(this, conn, tls, server, alreadyRead, upgraded);
    }

    /** Streams whose request is in progress now, on every connection of the server. */
    public long activeStreams() {
        return activeStreams.get();
    }

    /** Streams opened since the server started. */
    public long streamsTotal() {
        return streamsTotal.get();
    }

    void streamOpened() {
        activeStreams.incrementAndGet();
        streamsTotal.incrementAndGet();
    }

    void streamClosed() {
        activeStreams.decrementAndGet();
    }
}
