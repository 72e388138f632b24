package dev.netpoll.servlet;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The locales of an {@code Accept-Language} header by descending quality (RFC 9110 section 12.5.4). */
final class AcceptLanguage {

    private AcceptLanguage() {
    }

    static List<Locale> parse(String header) {
        if (header == null || header.isBlank()) {
            return List.of(Locale.getDefault());
        }
        record Weighted(Locale locale, double quality, int order) {
        }
        List<Weighted> found = new ArrayList<>();
        String[] ranges = header.split(",");
        for (int i = 0; i < ranges.length; i++) {
            String[] parts = ranges[i].trim().split(";");
            String tag = parts[0].trim();
            if (tag.isEmpty() || tag.equals("*")) {
                continue;
            }
            double quality = 1.0;
            for (int p = 1; p < parts.length; p++) {
                String parameter = parts[p].trim();
                if (parameter.startsWith("q=")) {
                    try {
                        quality = Double.parseDouble(parameter.substring(2));
                    } catch (NumberFormatException e) {
                        quality = 0;
                    }
                }
            }
            if (quality > 0) {
                found.add(new Weighted(Locale.forLanguageTag(tag), quality, i));
            }
        }
        if (found.isEmpty()) {
            return List.of(Locale.getDefault());
        }
        found.sort((a, b) -> a.quality != b.quality ? Double.compare(b.quality, a.quality) : Integer.compare(a.order, b.order));
        return found.stream().map(Weighted::locale).toList();
    }
}
