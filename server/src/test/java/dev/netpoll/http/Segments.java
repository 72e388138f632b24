package dev.netpoll.http;

import dev.netpoll.fuzz.Draw;
import java.util.Arrays;
import java.util.Random;

/**
 * How a byte stream arrives: the sizes of successive reads, repeated until the stream ends. The
 * client's writes, the network and the kernel cut a stream wherever they like, so a reader must
 * give the same result for every cut; the fuzz tests try many.
 */
public record Segments(int[] sizes) {

    /** Everything in reads as large as the reader asks for. */
    public static Segments whole() {
        return new Segments(new int[] {Integer.MAX_VALUE});
    }

    /** A first read of {@code at} bytes, then the rest. */
    public static Segments splitAt(int at) {
        return new Segments(new int[] {at, Integer.MAX_VALUE});
    }

    /** One byte per read, the slowest client. */
    public static Segments byteByByte() {
        return new Segments(new int[] {1});
    }

    /** Mostly small reads, so that tokens straddle reads, with a large one now and then. */
    public static Segments any(Random random) {
        int[] sizes = new int[Draw.between(random, 1, 12)];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = switch (Draw.weighted(random, 6, 3, 1)) {
                case 0 -> Draw.between(random, 1, 8);
                case 1 -> Draw.between(random, 9, 300);
                default -> Integer.MAX_VALUE;
            };
        }
        return new Segments(sizes);
    }

    /** The size of read number {@code index}, counting from 0. */
    public int size(int index) {
        return sizes[index % sizes.length];
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Segments segments && Arrays.equals(sizes, segments.sizes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(sizes);
    }

    @Override
    public String toString() {
        return "Segments" + Arrays.toString(sizes);
    }
}
