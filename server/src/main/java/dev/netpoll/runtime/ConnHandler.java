package dev.netpoll.runtime;

import dev.netpoll.poll.Conn;

/** Serves one accepted connection on its own task; the accept loop closes it afterwards. */
@FunctionalInterface
public interface ConnHandler {

    void serve(Conn conn) throws Exception;
}
