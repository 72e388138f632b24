package dev.netpoll.http2;

/** {@link Http2StreamsTest} on the nio transport. */
class Http2StreamsOnNioTest extends Http2StreamsTest {

    @Override
    String transport() {
        return "nio";
    }
}
