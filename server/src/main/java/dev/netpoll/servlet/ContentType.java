package dev.netpoll.servlet;

/** Reads parameters of a {@code Content-Type} value (RFC 9110 section 8.3.1). Stateless. */
final class ContentType {

    private ContentType() {
    }

    /** The value of parameter {@code name} (such as {@code charset}), unquoted; null if absent. */
    static String parameter(String contentType, String name) {
        if (contentType == null) {
            return null;
        }
        for (String part : contentType.split(";")) {
            String trimmed = part.trim();
            if (trimmed.length() > name.length() && trimmed.charAt(name.length()) == '='
                    && trimmed.regionMatches(true, 0, name, 0, name.length())) {
                String value = trimmed.substring(name.length() + 1).trim();
                return value.length() > 1 && value.startsWith("\"") && value.endsWith("\"")
                        ? value.substring(1, value.length() - 1) : value;
            }
        }
        return null;
    }
}
