package dev.netpoll.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * One try of a property: the {@link Random} its inputs are drawn from, and what was drawn, by
 * name, for the report of a failure. Values are shown by their {@code toString}, which for the
 * fuzz samples is a Java literal that pastes into a plain test.
 */
public final class Trial {

    /** Longer values are cut in the report; the seed replays them whole. */
    private static final int SHOWN_CHARS = 20_000;

    private final Random random;
    private final List<Drawn> drawn = new ArrayList<>();

    Trial(Random random) {
        this.random = random;
    }

    private record Drawn(String name, Object value) {
    }

    /** Draws an input from {@code generator}, remembering it as {@code name}. */
    public <T> T draw(String name, Function<Random, T> generator) {
        T value = generator.apply(random);
        drawn.add(new Drawn(name, value));
        return value;
    }

    /** What was drawn, one "name = value" line each. */
    String drawn() {
        var text = new StringBuilder();
        for (Drawn input : drawn) {
            String value = String.valueOf(input.value);
            if (value.length() > SHOWN_CHARS) {
                value = value.substring(0, SHOWN_CHARS) + "... (" + value.length() + " chars in all)";
            }
            text.append("  ").append(input.name).append(" = ").append(value).append('\n');
        }
        return text.toString();
    }
}
