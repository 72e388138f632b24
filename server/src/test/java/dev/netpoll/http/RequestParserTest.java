package dev.netpoll.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequestParserTest {

    private final RequestParser parser = new RequestParser(100);

    private RequestHead parse(String text) {
        byte[] raw = text.getBytes(StandardCharsets.ISO_8859_1);
        var head = new RequestHead();
        parser.parse(raw, raw.length, head);
        return head;
    }

    @Test
    void parsesRequestLineAndFieldsTrimmingOptionalWhitespace() {
        RequestHead head = parse("POST /a/b?x=1 HTTP/1.1\r\nHost: example.com:8080\r\nX-Two:  spaced value \t\r\nContent-Length: 12\r\n\r\n");
        assertThat(head.method()).isEqualTo("POST");
        assertThat(head.target()).isEqualTo("/a/b?x=1");
        assertThat(head.minorVersion()).isEqualTo(1);
        assertThat(head.headers().get("x-two")).isEqualTo("spaced value");
        assertThat(head.bodyLength()).isEqualTo(12);
        assertThat(head.keepAlive()).isTrue();
    }

    @Test
    void skipsEmptyLinesBeforeTheRequestLine() {
        assertThat(parse("\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n").method()).isEqualTo("GET");
    }

    @Test
    void acceptsIdenticalContentLengthValues() {
        assertThat(parse("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 5\r\nContent-Length: 5\r\n\r\n").bodyLength()).isEqualTo(5);
    }

    @Test
    void http10DefaultsToCloseUnlessKeepAliveIsAsked() {
        assertThat(parse("GET / HTTP/1.0\r\n\r\n").keepAlive()).isFalse();
        assertThat(parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").keepAlive()).isTrue();
        assertThat(parse("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n").keepAlive()).isFalse();
    }

    @Test
    void acceptsIpLiteralAndEmptyHost() {
        assertThat(parse("GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n").headers().get("Host")).isEqualTo("[::1]:8080");
        assertThat(parse("GET / HTTP/1.1\r\nHost:\r\n\r\n").headers().get("Host")).isEmpty();
    }

    @Test
    void acceptsAbsoluteFormAndAsteriskForOptions() {
        assertThat(parse("GET http://a/b HTTP/1.1\r\nHost: a\r\n\r\n").target()).isEqualTo("http://a/b");
        assertThat(parse("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n").target()).isEqualTo("*");
    }

    @Test
    void acceptsObsTextInFieldValues() {
        assertThat(parse("GET / HTTP/1.1\r\nHost: a\r\nX-L: caf\u00e9\r\n\r\n").headers().get("X-L")).isEqualTo("caf\u00e9");
    }

    @Test
    void chunkedFramingAndContinueExpectation() {
        RequestHead head = parse("PUT / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\nExpect: 100-continue\r\n\r\n");
        assertThat(head.bodyLength()).isEqualTo(RequestHead.CHUNKED);
        assertThat(head.expectContinue()).isTrue();
    }

    @Test
    void theAuthorityOfAnAbsoluteFormTargetEndsAtItsQuery() {
        var request = new HttpRequest(null);
        byte[] raw = bytes("GET http://a?x=/admin HTTP/1.1\r\nHost: a\r\n\r\n");
        parser.parse(raw, raw.length, request.head);
        assertThat(request.path()).isEqualTo("/");
        assertThat(request.query()).isEqualTo("x=/admin");
        raw = bytes("GET http://A:8080/p/q?r=/s HTTP/1.1\r\nHost: a:8080\r\n\r\n");
        parser.parse(raw, raw.length, request.head);
        assertThat(request.path()).isEqualTo("/p/q");
    }

    @Test
    void anAbsoluteFormTargetNamingAnotherHostThanTheHostHeaderIsRefused() {
        // RFC 9112 section 3.2.2: the target's authority is the host; the application reads Host.
        assertRefused(400, "GET http://evil.example/ HTTP/1.1\r\nHost: good.example\r\n\r\n");
    }

    @Test
    void anAbsoluteFormTargetAndAHostNamingTheSameOriginAgree() {
        assertThat(parse("GET http://a/x HTTP/1.1\r\nHost: a:80\r\n\r\n").target()).isEqualTo("http://a/x");
        assertThat(parse("GET https://A:443/x HTTP/1.1\r\nHost: a\r\n\r\n").target()).isEqualTo("https://A:443/x");
        assertThat(parse("GET http://[::1]:8080/x HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n").target()).isEqualTo("http://[::1]:8080/x");
        assertThat(parse("GET http://a/x HTTP/1.0\r\n\r\n").target()).isEqualTo("http://a/x");
        assertRefused(400, "GET http://a:8080/x HTTP/1.1\r\nHost: a\r\n\r\n");
    }

    @Test
    void targetsWithAFragmentOrUserinfoAreRefused() {
        assertRefused(400, "GET /a#/admin HTTP/1.1\r\nHost: a\r\n\r\n");
        assertRefused(400, "GET http://a#/admin HTTP/1.1\r\nHost: a\r\n\r\n");
        assertRefused(400, "GET http://user@a/ HTTP/1.1\r\nHost: a\r\n\r\n");
        assertRefused(400, "GET http:///x HTTP/1.1\r\nHost: a\r\n\r\n");
    }

    @Test
    void connectIsNotImplementedWhateverItsTarget() {
        assertRefused(501, "CONNECT / HTTP/1.1\r\nHost: a\r\n\r\n");
        assertRefused(501, "CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n");
    }

    private void assertRefused(int status, String text) {
        assertThatExceptionOfType(HttpException.class).isThrownBy(() -> parse(text))
                .satisfies(e -> assertThat(e.status()).isEqualTo(status));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
