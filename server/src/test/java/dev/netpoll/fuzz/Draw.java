package dev.netpoll.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * The draws the grammars are written with: numbers in a range, choices by weight or from a list,
 * strings over an alphabet, byte arrays and lists. The ends of a range are where off-by-one
 * errors live, and a uniform draw rarely hits them, so each end is drawn one time in
 * {@value #ONE_END_IN}; sizes and lengths are ranges too, so empty and longest come up often.
 */
public final class Draw {

    private static final int ONE_END_IN = 16;

    private Draw() {
    }

    /** An int from {@code min} to {@code max}, both included. */
    public static int between(Random random, int min, int max) {
        return (int) between(random, (long) min, max);
    }

    /** A long from {@code min} to {@code max}, both included. */
    public static long between(Random random, long min, long max) {
        if (min >= max) {
            return min;
        }
        return switch (random.nextInt(ONE_END_IN)) {
            case 0 -> min;
            case 1 -> max;
            default -> random.nextLong(min, max);
        };
    }

    /** A fraction from 0 to 1, both included. */
    public static double fraction(Random random) {
        return switch (random.nextInt(ONE_END_IN)) {
            case 0 -> 0;
            case 1 -> 1;
            default -> random.nextDouble();
        };
    }

    /** The index of a choice, each as likely as its weight: {@code weighted(random, 3, 1)} is 0 three times in four. */
    public static int weighted(Random random, int... weights) {
        int total = 0;
        for (int weight : weights) {
            total += weight;
        }
        int pick = random.nextInt(total);
        int choice = 0;
        while (pick >= weights[choice]) {
            pick -= weights[choice++];
        }
        return choice;
    }

    /** One of {@code values}; a value listed twice is twice as likely. */
    @SafeVarargs
    public static <T> T oneOf(Random random, T... values) {
        return values[random.nextInt(values.length)];
    }

    public static <T> T oneOf(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    /** Every char from {@code first} to {@code last}, as an alphabet for {@link #string}. */
    public static String chars(char first, char last) {
        var text = new StringBuilder();
        for (char c = first; c <= last; c++) {
            text.append(c);
        }
        return text.toString();
    }

    /** A string of {@code minLength} to {@code maxLength} chars of {@code alphabet}. */
    public static String string(Random random, String alphabet, int minLength, int maxLength) {
        char[] text = new char[between(random, minLength, maxLength)];
        for (int i = 0; i < text.length; i++) {
            text[i] = alphabet.charAt(random.nextInt(alphabet.length()));
        }
        return new String(text);
    }

    /** {@code minSize} to {@code maxSize} bytes of any value. */
    public static byte[] bytes(Random random, int minSize, int maxSize) {
        byte[] bytes = new byte[between(random, minSize, maxSize)];
        random.nextBytes(bytes);
        return bytes;
    }

    /** {@code minSize} to {@code maxSize} elements, each drawn from {@code element}. */
    public static <T> List<T> list(Random random, int minSize, int maxSize, Function<Random, T> element) {
        int size = between(random, minSize, maxSize);
        var list = new ArrayList<T>(size);
        for (int i = 0; i < size; i++) {
            list.add(element.apply(random));
        }
        return list;
    }
}
