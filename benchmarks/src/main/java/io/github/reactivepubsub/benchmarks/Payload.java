package io.github.reactivepubsub.benchmarks;

/**
 * The one payload object every peer publishes: an immutable value of its own class, so that Guava's
 * {@code EventBus} dispatches it by type like any application event.
 */
public final class Payload {

    /** The shared instance published by every benchmark (no allocation for the payload itself). */
    public static final Payload INSTANCE = new Payload(42L);

    private final long value;

    private Payload(long value) {
        this.value = value;
    }

    /** @return the carried value */
    public long value() {
        return value;
    }

    @Override
    public String toString() {
        return "Payload[" + value + "]";
    }
}
