package io.github.reactivepubsub;

import io.github.reactivepubsub.internal.Checks;

/**
 * Immutable options of a topic declared with {@link Hub#declare(Key, TopicOptions)}. Every setter returns a new
 * instance.
 *
 * <pre>{@code
 * hub.declare(Key.parse("market.book.*"), TopicOptions.defaults().replay(1)); // last value for late joiners
 * }</pre>
 */
public final class TopicOptions {

    private static final TopicOptions DEFAULTS = new TopicOptions(0);

    private final int replay;

    private TopicOptions(int replay) {
        this.replay = Checks.notNegative("replay", replay);
    }

    /** @return no replay */
    public static TopicOptions defaults() {
        return DEFAULTS;
    }

    /**
     * @param count how many of the latest messages of the topic a new subscriber receives first (0 = none). A
     *     subscriber whose buffer is smaller than this may overflow on joining.
     * @return a copy with that replay count
     * @throws IllegalArgumentException when negative
     */
    public TopicOptions replay(int count) {
        return new TopicOptions(count);
    }

    /** @return the replay count (0 = none) */
    public int replay() {
        return replay;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TopicOptions other && other.replay == replay;
    }

    @Override
    public int hashCode() {
        return replay;
    }

    @Override
    public String toString() {
        return "TopicOptions[replay=" + replay + "]";
    }
}
