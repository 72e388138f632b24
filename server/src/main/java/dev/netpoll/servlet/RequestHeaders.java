package dev.netpoll.servlet;

import dev.netpoll.http.HttpRequest;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;

/**
 * The request's headers as the servlet API reads them: dates (RFC 1123), integers, and the
 * client's preferred locales from Accept-Language, parsed on first use. Used by the thread that
 * holds the request (its connection's task, or an application thread during async work), one at
 * a time; the cached locales are a plain field.
 */
final class RequestHeaders {

    private final HttpRequest http;
    private List<Locale> locales;

    RequestHeaders(HttpRequest http) {
        this.http = http;
    }

    /** HttpServletRequest.getDateHeader: milliseconds since the epoch, or -1 if absent. */
    long date(String name) {
        String value = http.header(name);
        if (value == null) {
            return -1;
        }
        try {
            return ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("header " + name + " is not a date: " + value);
        }
    }

    /** HttpServletRequest.getIntHeader: the value, or -1 if absent; NumberFormatException if not a number. */
    int integer(String name) {
        String value = http.header(name);
        return value == null ? -1 : Integer.parseInt(value.trim());
    }

    /** The Accept-Language locales, most preferred first; never empty. */
    List<Locale> locales() {
        if (locales == null) {
            locales = AcceptLanguage.parse(http.header("Accept-Language"));
        }
        return locales;
    }
}
