package dev.netpoll.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import jakarta.servlet.http.Cookie;
import org.junit.jupiter.api.Test;

/** Set-Cookie values: an application's cookie cannot add attributes or headers of its own. */
class CookiesTest {

    @Test
    void aValueThatWouldAddAttributesIsRefused() {
        // "a; Domain=evil" would have set the cookie for another site's domain.
        assertThatIllegalArgumentException().isThrownBy(() -> Cookies.format(new Cookie("x", "a; Domain=evil"), null))
                .withMessageContaining("RFC 6265");
        assertThatIllegalArgumentException().isThrownBy(() -> Cookies.format(new Cookie("x", "a\r\nSet-Cookie: y=z"), null));
        assertThatIllegalArgumentException().isThrownBy(() -> Cookies.format(new Cookie("x", "two words"), null));
    }

    @Test
    void anAttributeThatWouldAddAttributesIsRefused() {
        var cookie = new Cookie("x", "1");
        cookie.setPath("/; Domain=evil");
        assertThatIllegalArgumentException().isThrownBy(() -> Cookies.format(cookie, null));
    }

    @Test
    void valuesOfCookieOctetsQuotedOrNotAreWrittenAsGiven() {
        var cookie = new Cookie("session", "\"abc-123_=+/\"");
        cookie.setPath("/app");
        cookie.setHttpOnly(true);
        assertThat(Cookies.format(cookie, "Lax")).isEqualTo("session=\"abc-123_=+/\"; Path=/app; HttpOnly; SameSite=Lax");
        assertThat(Cookies.format(new Cookie("empty", ""), null)).isEqualTo("empty=");
    }
}
