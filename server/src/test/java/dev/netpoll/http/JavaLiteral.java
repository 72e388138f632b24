package dev.netpoll.http;

/** Bytes as a Java string literal body, so that a failing fuzz sample pastes into a test. */
public final class JavaLiteral {

    private JavaLiteral() {
    }

    public static String of(byte[] bytes) {
        return of(bytes, 0, bytes.length);
    }

    public static String of(byte[] bytes, int from, int to) {
        var text = new StringBuilder("\"");
        for (int i = from; i < to; i++) {
            int c = bytes[i] & 0xFF;
            switch (c) {
                case '\r' -> text.append("\\r");
                case '\n' -> text.append("\\n");
                case '\t' -> text.append("\\t");
                case '"' -> text.append("\\\"");
                case '\\' -> text.append("\\\\");
                default -> text.append(c >= 0x20 && c < 0x7F ? String.valueOf((char) c) : String.format("\\u%04x", c));
            }
        }
        return text.append('"').toString();
    }
}
