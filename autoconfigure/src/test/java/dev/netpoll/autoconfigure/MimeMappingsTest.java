package dev.netpoll.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.MimeMappings;

/** The servlet context's MIME table is exactly Spring Boot's: MimeMappings.DEFAULT plus what the user adds. */
class MimeMappingsTest {

    private NetpollWebServer server;

    @AfterEach
    void destroy() {
        if (server != null) {
            server.destroy();
        }
    }

    private static Map<String, String> table(MimeMappings mappings) {
        var table = new HashMap<String, String>();
        mappings.forEach(mapping -> table.put(mapping.getExtension(), mapping.getMimeType()));
        return table;
    }

    @Test
    void theTableIsBootsDefaultsWithNothingOfTheEnginesOwn() {
        server = (NetpollWebServer) new NetpollServletWebServerFactory().getWebServer();
        assertThat(server.getServletContext().getMimeMappings())
                .containsExactlyInAnyOrderEntriesOf(table(MimeMappings.DEFAULT));
        assertThat(server.getServletContext().getMimeType("notes.md")).isNull();
    }

    @Test
    void addedMappingsJoinTheDefaults() {
        var factory = new NetpollServletWebServerFactory();
        var added = new MimeMappings();
        added.add("alpha", "application/x-alpha");
        added.add("bravo", "application/x-bravo");
        factory.addMimeMappings(added);
        server = (NetpollWebServer) factory.getWebServer();
        var expected = table(MimeMappings.DEFAULT);
        expected.putAll(table(added));
        assertThat(server.getServletContext().getMimeMappings()).containsExactlyInAnyOrderEntriesOf(expected);
        assertThat(server.getServletContext().getMimeType("file.ALPHA")).isEqualTo("application/x-alpha");
    }
}
