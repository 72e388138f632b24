package dev.netpoll.autoconfigure;

import java.util.List;
import org.springframework.boot.web.server.Compression;

/**
 * The MIME types {@code server.compression} applies to: Spring Boot 4.0 has {@code mime-types}
 * only. This is the 4.0 line's copy ({@code src/main/spring-boot-4.0}), compiled with
 * {@code -Pspring-boot-4.0}; the 4.1 line's copy adds {@code additional-mime-types}.
 */
final class CompressedMimeTypes {

    private CompressedMimeTypes() {
    }

    static List<String> of(Compression compression) {
        return List.of(compression.getMimeTypes());
    }
}
