package dev.netpoll.http;

import dev.netpoll.poll.Conn;
import dev.netpoll.tls.TlsConn;
import java.io.IOException;

/**
 * A protocol an HTTP connection can be handed to, as Go's {@code Server.TLSNextProto}: chosen
 * by ALPN on a TLS connection, by its preface on a cleartext one (prior knowledge), or by an
 * {@code Upgrade} request. The HTTP layer decides which protocol a socket speaks; the protocol
 * (HTTP/2, in {@code dev.netpoll.http2}, above this package) then owns the socket until it ends.
 */
public interface NextProtocol {

    /** The ALPN identifier offered on TLS ports, such as {@code h2}. */
    String name();

    /** The bytes a cleartext client starts with under prior knowledge, or null if it cannot. */
    byte[] cleartextPreface();

    /** The {@code Upgrade} token a cleartext HTTP/1.1 request may ask for, such as {@code h2c}, or null. */
    String upgradeToken();

    /**
     * Takes the connection over. {@code alreadyRead} holds bytes the HTTP layer read past the
     * preface or the upgrade request; {@code upgraded} is the request that asked for the switch
     * (its {@code 101} already sent), which the protocol must answer, or null.
     */
    Session open(Conn conn, TlsConn tls, HttpServer server, byte[] alreadyRead, HttpRequest upgraded) throws IOException;

    /** One connection served by the protocol. */
    interface Session {

        /** Serves until the connection ends; runs on the connection's task. */
        void serve() throws IOException;

        /** Graceful shutdown: take no new request, let those in progress finish, then close. Any thread. */
        void shutdownGracefully();

        /** Immediate shutdown: close the socket and end every request's task. Any thread. */
        void close();

        /** What the connection is doing, for the runtime view. */
        String activity();

        /** Requests in progress on it (HTTP/2 streams), each as method and target, for the runtime view. */
        java.util.List<String> requestsInProgress();
    }
}
