package dev.netpoll.servlet;

import jakarta.servlet.http.Part;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * One part of a {@code multipart/form-data} body: its headers, and its content in memory (below
 * the file-size threshold) or in a temporary file (above it), deleted when the request ends.
 */
final class MultipartPart implements Part {

    private final Map<String, List<String>> headers;
    private final String name;
    private final String fileName;
    private final byte[] memory;
    private final Path file;
    private final long size;
    private final Path location;

    MultipartPart(Map<String, List<String>> headers, String name, String fileName, byte[] memory, Path file, long size,
            Path location) {
        this.headers = headers;
        this.name = name;
        this.fileName = fileName;
        this.memory = memory;
        this.file = file;
        this.size = size;
        this.location = location;
    }

    @Override
    public InputStream getInputStream() throws IOException {
        return file != null ? Files.newInputStream(file) : new ByteArrayInputStream(memory);
    }

    @Override
    public String getContentType() {
        return getHeader("Content-Type");
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public String getSubmittedFileName() {
        return fileName;
    }

    @Override
    public long getSize() {
        return size;
    }

    /** Writes the content to {@code fileName}, relative to the multipart location unless absolute. */
    @Override
    public void write(String fileName) throws IOException {
        Path target = Path.of(fileName);
        if (!target.isAbsolute()) {
            target = location.resolve(target);
        }
        if (file != null) {
            Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
        } else {
            Files.write(target, memory);
        }
    }

    @Override
    public void delete() throws IOException {
        if (file != null) {
            Files.deleteIfExists(file);
        }
    }

    /** Whether the content went to disk (it was larger than the file-size threshold). */
    boolean onDisk() {
        return file != null;
    }

    byte[] bytes() throws IOException {
        return file != null ? Files.readAllBytes(file) : memory;
    }

    @Override
    public String getHeader(String headerName) {
        for (var entry : headers.entrySet()) {
            if (entry.getKey().equalsIgnoreCase(headerName)) {
                return entry.getValue().get(0);
            }
        }
        return null;
    }

    @Override
    public Collection<String> getHeaders(String headerName) {
        for (var entry : headers.entrySet()) {
            if (entry.getKey().equalsIgnoreCase(headerName)) {
                return List.copyOf(entry.getValue());
            }
        }
        return List.of();
    }

    @Override
    public Collection<String> getHeaderNames() {
        return List.copyOf(headers.keySet());
    }
}
