package dev.strata.processor.testing;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The seed of a fuzz run: fixed by default so CI is repeatable, {@code -Dstrata.fuzz.seed=N} to
 * reproduce a reported failure, {@code -Dstrata.fuzz.seed=random} to explore new inputs.
 */
public final class FuzzSeed {

    public static final String PROPERTY = "strata.fuzz.seed";
    private static final long DEFAULT = 20_261_125L;

    private FuzzSeed() {
    }

    public static long seed() {
        String value = System.getProperty(PROPERTY, "").strip();
        if (value.isEmpty()) {
            return DEFAULT;
        }
        if (value.equals("random")) {
            return ThreadLocalRandom.current().nextLong();
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + PROPERTY + " must be a whole number or 'random', not '"
                    + value + "'", e);
        }
    }
}
