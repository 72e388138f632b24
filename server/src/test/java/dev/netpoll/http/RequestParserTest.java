package dev.netpoll.http;

import static org.assertj.core.api.Assertions.assertThat;

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
}
