package dev.netpoll.http2;

/** {@link Http2ProtocolErrorsTest} on the nio transport. */
class Http2ProtocolErrorsOnNioTest extends Http2ProtocolErrorsTest {

    @Override
    String transport() {
        return "nio";
    }
}
