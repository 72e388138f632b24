package dev.netpoll.http2;

/** {@link Http2LimitsTest} on the nio transport. */
class Http2LimitsOnNioTest extends Http2LimitsTest {

    @Override
    String transport() {
        return "nio";
    }
}
