package io.github.reactivepubsub.mmap;

import io.github.reactivepubsub.internal.Checks;
import java.time.Duration;
import java.util.Objects;

/**
 * Immutable publisher settings; every setter returns a new instance.
 *
 * <pre>{@code
 * PublisherOptions.of(Layout.NATIVE).capacity(1 << 20)
 * PublisherOptions.of(Layout.RTG)            // 8192-byte Ready Trader Go file
 * }</pre>
 */
public final class PublisherOptions {

    /** Default {@code NATIVE} ring capacity: 1 MiB. */
    public static final int DEFAULT_CAPACITY = 1 << 20;

    private final Layout layout;
    private final int capacity;
    private final Duration heartbeatPeriod;

    private PublisherOptions(Layout layout, int capacity, Duration heartbeatPeriod) {
        BroadcastDescriptor.checkCapacity(capacity);
        this.layout = Objects.requireNonNull(layout, "layout");
        this.capacity = capacity;
        this.heartbeatPeriod = Checks.atLeast("heartbeatPeriod", heartbeatPeriod, Duration.ofMillis(10));
    }

    /**
     * @param layout the file layout
     * @return options for that layout with defaults: capacity 1 MiB ({@code NATIVE}), heartbeat every second
     */
    public static PublisherOptions of(Layout layout) {
        return new PublisherOptions(layout, DEFAULT_CAPACITY, Duration.ofSeconds(1));
    }

    /**
     * @param capacity {@code NATIVE} ring size in bytes: a power of two from 4096 to 2^30; messages may be up to
     *     capacity / 8 bytes. Ignored by {@code RTG}, whose size is fixed.
     * @return new options
     * @throws IllegalArgumentException when not a power of two in range
     */
    public PublisherOptions capacity(int capacity) {
        return new PublisherOptions(layout, capacity, heartbeatPeriod);
    }

    /**
     * @param period how often a {@code NATIVE} publisher refreshes its heartbeat word (on Reactor's parallel
     *     scheduler); at least 10 ms
     * @return new options
     */
    public PublisherOptions heartbeatPeriod(Duration period) {
        return new PublisherOptions(layout, capacity, period);
    }

    /** @return the layout */
    public Layout layout() {
        return layout;
    }

    /** @return the {@code NATIVE} ring capacity in bytes */
    public int capacity() {
        return capacity;
    }

    /** @return the heartbeat period */
    public Duration heartbeatPeriod() {
        return heartbeatPeriod;
    }

    @Override
    public String toString() {
        return "PublisherOptions[layout=" + layout + ", capacity=" + capacity + ", heartbeat=" + heartbeatPeriod + "]";
    }
}
