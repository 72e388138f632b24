package dev.netpoll.autoconfigure;

import java.nio.file.Path;

/**
 * Where and how a server writes its access log ({@code server.netpoll.accesslog.*}).
 *
 * @param directory where the daily files go
 * @param prefix    file name prefix ({@code prefix.yyyy-MM-dd.log})
 * @param pattern   {@code combined}, {@code common} or a pattern of {@code %} codes
 * @since 0.1.0
 */
public record AccessLogSettings(Path directory, String prefix, String pattern) {
}
