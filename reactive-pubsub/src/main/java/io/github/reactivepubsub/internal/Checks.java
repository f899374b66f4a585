package io.github.reactivepubsub.internal;

import java.time.Duration;
import java.util.Objects;

/**
 * The range checks of the immutable {@code *Options} classes of every module, with one form of message:
 * {@code "<option> must be <what is expected>, was <value>"}. Each options class calls them from its private
 * constructor, the one place every setter and its defaults go through. Not API.
 *
 * <p>Thread-safe (stateless).
 */
public final class Checks {

    private Checks() {
    }

    /**
     * @param name the option, as the setter is named
     * @param value the value given
     * @return {@code value}
     * @throws IllegalArgumentException when zero or negative
     * @throws NullPointerException when null
     */
    public static Duration positive(String name, Duration value) {
        if (Objects.requireNonNull(value, name).isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
        return value;
    }

    /**
     * @param name the option, as the setter is named
     * @param value the value given; zero typically turns the feature off
     * @return {@code value}
     * @throws IllegalArgumentException when negative
     * @throws NullPointerException when null
     */
    public static Duration notNegative(String name, Duration value) {
        if (Objects.requireNonNull(value, name).isNegative()) {
            throw new IllegalArgumentException(name + " must be >= 0, was " + value);
        }
        return value;
    }

    /**
     * @param name the option, as the setter is named
     * @param value the value given
     * @param min the shortest allowed
     * @return {@code value}
     * @throws IllegalArgumentException when shorter than {@code min}
     * @throws NullPointerException when null
     */
    public static Duration atLeast(String name, Duration value, Duration min) {
        if (Objects.requireNonNull(value, name).compareTo(min) < 0) {
            throw new IllegalArgumentException(name + " must be at least " + min + ", was " + value);
        }
        return value;
    }

    /**
     * @param name the option, as the setter is named
     * @param value the value given; zero typically turns the feature off
     * @return {@code value}
     * @throws IllegalArgumentException when negative
     */
    public static int notNegative(String name, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, was " + value);
        }
        return value;
    }

    /**
     * @param name the option, as the setter is named
     * @param value the value given
     * @param min the smallest allowed
     * @return {@code value}
     * @throws IllegalArgumentException when below {@code min}
     */
    public static int atLeast(String name, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be at least " + min + ", was " + value);
        }
        return value;
    }

    /**
     * @param name the option, as the setter is named
     * @param value the value given
     * @param min the smallest allowed
     * @return {@code value}
     * @throws IllegalArgumentException when below {@code min}
     */
    public static long atLeast(String name, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be at least " + min + ", was " + value);
        }
        return value;
    }

    /**
     * @param name the option, as the setter is named
     * @param value the value given
     * @param min the smallest allowed
     * @param max the largest allowed
     * @return {@code value}
     * @throws IllegalArgumentException when outside {@code [min, max]}
     */
    public static int between(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", was " + value);
        }
        return value;
    }
}
