package dev.netpoll.http2;

/** {@link Http2ClientsTest} on the nio transport. */
class Http2ClientsOnNioTest extends Http2ClientsTest {

    @Override
    String transport() {
        return "nio";
    }
}
