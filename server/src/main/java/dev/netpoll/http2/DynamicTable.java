package dev.netpoll.http2;

/**
 * HPACK's dynamic table (RFC 7541 section 2.3.2 and 4): newest entry first, each counted as
 * name length + value length + 32 octets, oldest entries evicted to stay within the maximum
 * size. A ring of entries that grows by doubling up to what the size allows. Owned by the
 * connection's reading task (the decoder's table).
 */
final class DynamicTable {

    private String[] names = new String[16];
    private String[] values = new String[16];
    /** Ring indexes: {@code head} is where the next entry goes; {@code count} entries precede it. */
    private int head;
    private int count;
    private int size;
    private int maxSize;

    DynamicTable(int maxSize) {
        this.maxSize = maxSize;
    }

    int count() {
        return count;
    }

    int size() {
        return size;
    }

    int maxSize() {
        return maxSize;
    }

    /** Entry {@code index}, 1 for the newest. */
    String name(int index) {
        return names[slot(index)];
    }

    String value(int index) {
        return values[slot(index)];
    }

    private int slot(int index) {
        return Math.floorMod(head - index, names.length);
    }

    /** Section 4.3: shrinking evicts; the caller has checked the new size against the bound. */
    void resize(int newMax) {
        maxSize = newMax;
        evictTo(newMax);
    }

    /** Section 4.4: an entry larger than the table empties it and is not added. */
    void add(String name, String value) {
        int entry = name.length() + value.length() + 32;
        if (entry > maxSize) {
            evictTo(0);
            return;
        }
        evictTo(maxSize - entry);
        if (count == names.length) {
            grow();
        }
        names[head] = name;
        values[head] = value;
        head = (head + 1) % names.length;
        count++;
        size += entry;
    }

    private void evictTo(int target) {
        while (size > target) {
            int oldest = slot(count);
            size -= names[oldest].length() + values[oldest].length() + 32;
            names[oldest] = null;
            values[oldest] = null;
            count--;
        }
    }

    private void grow() {
        int length = names.length;
        var newNames = new String[length * 2];
        var newValues = new String[length * 2];
        for (int i = 0; i < count; i++) {
            // Oldest first into slots 0..count-1, so head becomes count.
            newNames[i] = name(count - i);
            newValues[i] = value(count - i);
        }
        names = newNames;
        values = newValues;
        head = count;
    }
}
