package dev.netpoll.http;

import java.io.IOException;

/** Runs when a handler first reads the body: sends {@code 100 Continue} if the client asked. */
@FunctionalInterface
interface BodyStart {

    BodyStart NONE = () -> { };

    void run() throws IOException;
}
