package dev.netpoll.http2;

import java.nio.charset.StandardCharsets;

/**
 * Decodes HPACK header blocks (RFC 7541 section 6) into fields, with the bounds that defuse an
 * HPACK bomb: the dynamic table never exceeds the size we advertised, and the decoded header
 * list is counted (RFC 9113 section 6.5.2: name + value + 32 per field) so that a small block
 * expanding to megabytes of repeated table references is refused without being kept.
 *
 * <p>Owned by the connection's reading task; one per connection, since the dynamic table spans
 * all blocks of the connection.
 */
final class HpackDecoder {

    /** Receives decoded fields in order. */
    interface FieldSink {
        void field(String name, String value);
    }

    private final DynamicTable table;
    /** The most the peer may make the table: our SETTINGS_HEADER_TABLE_SIZE. */
    private final int maxTableSize;
    private final StringBuilder scratch = new StringBuilder(64);
    /** Where the last readInt/readString stopped: a field rather than a returned pair, so no allocation per call. */
    private int next;

    HpackDecoder(int maxTableSize) {
        this.maxTableSize = maxTableSize;
        this.table = new DynamicTable(maxTableSize);
    }

    DynamicTable table() {
        return table;
    }

    /**
     * Decodes {@code block[0, length)}, handing each field to {@code sink} while the list stays
     * within {@code maxListSize}. Returns the header list size (counted to the end even past the
     * bound, so the caller can answer 431); the table is updated by the whole block either way,
     * as the peer's encoder expects.
     */
    long decode(byte[] block, int length, long maxListSize, FieldSink sink) throws HpackException {
        int pos = 0;
        long listSize = 0;
        boolean fieldSeen = false;
        while (pos < length) {
            int b = block[pos] & 0xFF;
            String name;
            String value;
            if ((b & 0x80) != 0) { // 6.1 indexed field
                long index = readInt(block, pos, length, 7);
                pos = next;
                name = nameAt(index);
                value = valueAt(index);
            } else if ((b & 0xE0) == 0x20) { // 6.3 dynamic table size update
                if (fieldSeen) {
                    throw new HpackException("dynamic table size update after a field");
                }
                long size = readInt(block, pos, length, 5);
                pos = next;
                if (size > maxTableSize) {
                    throw new HpackException("dynamic table size " + size + " above the " + maxTableSize + " allowed");
                }
                table.resize((int) size);
                continue;
            } else {
                // 6.2.1 with indexing (01xxxxxx, 6-bit index), 6.2.2 without (0000xxxx), 6.2.3 never (0001xxxx).
                boolean indexing = (b & 0xC0) == 0x40;
                int prefix = indexing ? 6 : 4;
                long index = readInt(block, pos, length, prefix);
                pos = next;
                if (index == 0) {
                    name = readString(block, pos, length);
                    pos = next;
                } else {
                    name = nameAt(index);
                }
                value = readString(block, pos, length);
                pos = next;
                if (indexing) {
                    table.add(name, value);
                }
            }
            fieldSeen = true;
            listSize += name.length() + value.length() + 32;
            if (listSize <= maxListSize) {
                sink.field(name, value);
            }
        }
        return listSize;
    }

    /**
     * 5.1: an integer with an N-bit prefix; bounded to 2^31 - 1 so that no index or length
     * overflows. At most five continuation bytes (shift 0..28, as Go's decoder allows): that keeps
     * every partial sum far inside a long, so a long run of 0x80 bytes cannot shift bits into the
     * sign and come out negative, past every bound below.
     */
    private long readInt(byte[] block, int pos, int length, int prefixBits) throws HpackException {
        int mask = (1 << prefixBits) - 1;
        long value = block[pos++] & mask;
        if (value == mask) {
            int shift = 0;
            int b;
            do {
                if (pos >= length) {
                    throw new HpackException("header block ends inside an integer");
                }
                if (shift > 28) {
                    throw new HpackException("integer of more than five continuation bytes");
                }
                b = block[pos++] & 0xFF;
                value += (long) (b & 0x7F) << shift;
                shift += 7;
                if (value > Integer.MAX_VALUE) {
                    throw new HpackException("integer above 2^31 - 1");
                }
            } while ((b & 0x80) != 0);
        }
        next = pos;
        return value;
    }

    /** 5.2: a string literal, Huffman-coded or not. */
    private String readString(byte[] block, int pos, int length) throws HpackException {
        if (pos >= length) {
            throw new HpackException("header block ends before a string");
        }
        boolean huffman = (block[pos] & 0x80) != 0;
        long n = readInt(block, pos, length, 7);
        pos = next;
        if (n > length - pos) {
            throw new HpackException("string longer than the header block");
        }
        int len = (int) n;
        String s;
        if (huffman) {
            scratch.setLength(0);
            Huffman.decode(block, pos, len, scratch);
            s = scratch.toString();
        } else {
            s = new String(block, pos, len, StandardCharsets.ISO_8859_1);
        }
        next = pos + len;
        return s;
    }

    private String nameAt(long index) throws HpackException {
        if (index >= 1 && index <= StaticTable.SIZE) {
            return StaticTable.name((int) index);
        }
        return dynamic(index, true);
    }

    private String valueAt(long index) throws HpackException {
        if (index >= 1 && index <= StaticTable.SIZE) {
            return StaticTable.value((int) index);
        }
        return dynamic(index, false);
    }

    private String dynamic(long index, boolean name) throws HpackException {
        long d = index - StaticTable.SIZE;
        if (d < 1 || d > table.count()) {
            throw new HpackException("index " + index + " is outside the tables");
        }
        return name ? table.name((int) d) : table.value((int) d);
    }
}
