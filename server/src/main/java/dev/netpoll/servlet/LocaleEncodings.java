package dev.netpoll.servlet;

import java.nio.charset.Charset;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The context's locale-encoding mapping (the deployment descriptor's locale-encoding-mapping-list;
 * Spring Boot's {@code server.servlet.encoding.mapping.*}): written while the context initializes,
 * read by request tasks in {@code HttpServletResponse.setLocale}.
 */
final class LocaleEncodings {

    // Locale.toString() ("de", "de_AT") to charset.
    private final Map<String, Charset> charsets = new HashMap<>();

    void add(Locale locale, Charset charset) {
        charsets.put(locale.toString(), charset);
    }

    /**
     * The charset mapped to {@code locale}, else to its language alone, else null (Tomcat's
     * lookup): a mapping for {@code de} also serves {@code de_AT}.
     */
    Charset charsetFor(Locale locale) {
        var charset = charsets.get(locale.toString());
        return charset != null ? charset : charsets.get(locale.getLanguage());
    }
}
