package dev.netpoll.autoconfigure;

import java.util.List;
import org.springframework.boot.web.server.Compression;
import org.springframework.util.ClassUtils;

/**
 * The MIME types {@code server.compression} applies to. Spring Boot 4.1 added
 * {@code server.compression.additional-mime-types}, which extend the defaults instead of replacing
 * them, and {@link Compression#getAllMimeTypes()} to read both. This is the 4.1 line's copy
 * ({@code src/main/spring-boot-4.1}); the 4.0 line's copy reads {@code mime-types} alone.
 */
final class CompressedMimeTypes {

    /**
     * A jar built on 4.1 (the released one) must still start on 4.0, whose {@code Compression}
     * lacks the method: look it up once, then call it directly.
     */
    private static final boolean ADDITIONAL_MIME_TYPES = ClassUtils.hasMethod(Compression.class, "getAllMimeTypes");

    private CompressedMimeTypes() {
    }

    static List<String> of(Compression compression) {
        return List.of(ADDITIONAL_MIME_TYPES ? compression.getAllMimeTypes() : compression.getMimeTypes());
    }
}
