package dev.netpoll.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Field names and values most requests carry are shared strings, the same instance from request
 * to request (a WebSocket session keeps its handshake's fields for its life); whatever the client
 * spelled otherwise comes through exactly as sent.
 */
class CommonFieldsTest {

    private static HttpHeaders parse(String head) {
        byte[] raw = head.getBytes(StandardCharsets.ISO_8859_1);
        var parsed = new RequestHead();
        new RequestParser(100).parse(raw, raw.length, parsed);
        return parsed.headers();
    }

    @Test
    void commonFieldsAreSharedAcrossRequests() {
        String upgrade = "GET /echo HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";
        HttpHeaders first = parse(upgrade);
        HttpHeaders second = parse(upgrade);
        for (int i = 0; i < first.size(); i++) {
            assertThat(second.name(i)).isSameAs(first.name(i));
        }
        assertThat(second.get("Upgrade")).isSameAs(first.get("Upgrade")).isEqualTo("websocket");
        assertThat(second.get("Connection")).isSameAs(first.get("Connection")).isEqualTo("Upgrade");
        assertThat(second.get("Sec-WebSocket-Version")).isSameAs(first.get("Sec-WebSocket-Version")).isEqualTo("13");
        // A key is per request: equal text, never a shared constant.
        assertThat(second.get("Sec-WebSocket-Key")).isEqualTo(first.get("Sec-WebSocket-Key"))
                .isNotSameAs(first.get("Sec-WebSocket-Key"));
    }

    @Test
    void otherSpellingsComeThroughAsSent() {
        HttpHeaders headers = parse("GET / HTTP/1.1\r\nHost: a\r\nUPGRADE: WebSocket\r\nX-Custom: keep-alive!\r\n"
                + "Accept: text/html\u00e9\r\n\r\n");
        assertThat(headers.name(1)).isEqualTo("UPGRADE");
        assertThat(headers.value(1)).isEqualTo("WebSocket");
        assertThat(headers.name(2)).isEqualTo("X-Custom");
        assertThat(headers.value(2)).isEqualTo("keep-alive!");
        assertThat(headers.value(3)).isEqualTo("text/html\u00e9");
    }
}
