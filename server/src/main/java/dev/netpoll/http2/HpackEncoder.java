package dev.netpoll.http2;

/**
 * Encodes header fields for the peer (RFC 7541 section 6) without a dynamic table: a field
 * whose name and value are in the static table is one indexed byte, any other is a literal
 * "without indexing" that names the static entry when there is one, each string Huffman-coded
 * when that is shorter. Never inserting spares us tracking the peer's table size setting and
 * any per-connection state, so stream tasks encode concurrently with no lock; the cost is a few
 * bytes per repeated field, next to the DATA they precede. Stateless.
 */
final class HpackEncoder {

    private HpackEncoder() {
    }

    /** {@code :status}: the static table indexes 200, 204, 206, 304, 400, 404 and 500. */
    static void status(int status, HeaderBlock out) {
        int index = switch (status) {
            case 200 -> 8;
            case 204 -> 9;
            case 206 -> 10;
            case 304 -> 11;
            case 400 -> 12;
            case 404 -> 13;
            case 500 -> 14;
            default -> 0;
        };
        if (index != 0) {
            writeInt(0x80, 7, index, out);
        } else {
            writeInt(0x00, 4, 8, out);
            writeString(Integer.toString(status), out);
        }
    }

    /** A field, {@code name} already lower case. */
    static void field(String name, String value, HeaderBlock out) {
        int index = StaticTable.indexOf(name);
        writeInt(0x00, 4, index, out);
        if (index == 0) {
            writeString(name, out);
        }
        writeString(value, out);
    }

    /** 5.1: {@code value} with an N-bit prefix under {@code flags}. */
    static void writeInt(int flags, int prefixBits, int value, HeaderBlock out) {
        int max = (1 << prefixBits) - 1;
        if (value < max) {
            out.put(flags | value);
            return;
        }
        out.put(flags | max);
        value -= max;
        while (value >= 0x80) {
            out.put((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out.put(value);
    }

    /** 5.2: Huffman-coded if that is shorter; chars are taken as Latin-1 octets. */
    static void writeString(String s, HeaderBlock out) {
        int huffman = Huffman.encodedLength(s);
        if (huffman < s.length()) {
            writeInt(0x80, 7, huffman, out);
            out.ensure(huffman);
            out.length = Huffman.encode(s, out.bytes, out.length);
        } else {
            writeInt(0x00, 7, s.length(), out);
            out.ensure(s.length());
            for (int i = 0; i < s.length(); i++) {
                out.bytes[out.length++] = (byte) s.charAt(i);
            }
        }
    }
}
