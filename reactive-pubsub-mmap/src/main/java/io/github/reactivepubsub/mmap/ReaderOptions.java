package io.github.reactivepubsub.mmap;

import io.github.reactivepubsub.internal.Checks;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Immutable subscriber settings; every setter returns a new instance.
 *
 * <pre>{@code
 * ReaderOptions.of(Layout.RTG).start(StartPosition.LATEST).openTimeout(Duration.ofSeconds(5))
 * ReaderOptions.of(Layout.NATIVE).idle(IdleStrategy.busySpin()).lossPolicy(LossPolicy.ERROR)
 * }</pre>
 */
public final class ReaderOptions {

    private final Layout layout;
    private final @Nullable StartPosition start;
    private final IdleStrategy idle;
    private final Duration openTimeout;
    private final LossPolicy lossPolicy;
    private final boolean followRestarts;
    private final Duration checkInterval;
    private final Duration staleTimeout;

    private ReaderOptions(Layout layout, @Nullable StartPosition start, IdleStrategy idle, Duration openTimeout,
            LossPolicy lossPolicy, boolean followRestarts, Duration checkInterval, Duration staleTimeout) {
        this.layout = Objects.requireNonNull(layout, "layout");
        this.start = start;
        this.idle = Objects.requireNonNull(idle, "idle");
        this.openTimeout = Checks.notNegative("openTimeout", openTimeout);
        this.lossPolicy = Objects.requireNonNull(lossPolicy, "policy");
        this.followRestarts = followRestarts;
        this.checkInterval = Checks.atLeast("checkInterval", checkInterval, Duration.ofMillis(1));
        this.staleTimeout = Objects.requireNonNull(staleTimeout, "timeout");
    }

    /**
     * Defaults: the layout's own start position ({@code RTG}: {@link StartPosition#START}, {@code NATIVE}:
     * {@link StartPosition#LATEST}), {@link IdleStrategy#defaults()}, no open timeout (fail at once when the file
     * is missing or invalid), {@link LossPolicy#CONTINUE}, complete when the publisher closes, file checks every
     * 100 ms, stale publisher after 5 s without heartbeat.
     *
     * @param layout the file layout
     * @return the options
     */
    public static ReaderOptions of(Layout layout) {
        return new ReaderOptions(layout, null, IdleStrategy.defaults(), Duration.ZERO, LossPolicy.CONTINUE, false,
                Duration.ofMillis(100), Duration.ofSeconds(5));
    }

    /**
     * @param start where to start reading
     * @return new options
     */
    public ReaderOptions start(StartPosition start) {
        return new ReaderOptions(layout, Objects.requireNonNull(start, "start"), idle, openTimeout, lossPolicy,
                followRestarts, checkInterval, staleTimeout);
    }

    /**
     * @param idle the poller thread's idle strategy; a poller serving several subscribers of one file uses the
     *     strategy of the subscriber that started it
     * @return new options
     */
    public ReaderOptions idle(IdleStrategy idle) {
        return new ReaderOptions(layout, start, idle, openTimeout, lossPolicy, followRestarts, checkInterval,
                staleTimeout);
    }

    /**
     * @param timeout how long opening waits, retrying with back-off, for the file to exist and be valid; zero
     *     fails at once
     * @return new options
     */
    public ReaderOptions openTimeout(Duration timeout) {
        return new ReaderOptions(layout, start, idle, timeout, lossPolicy, followRestarts, checkInterval, staleTimeout);
    }

    /**
     * @param policy what a lap does to the datagram {@code Flux} ({@code NATIVE})
     * @return new options
     */
    public ReaderOptions lossPolicy(LossPolicy policy) {
        return new ReaderOptions(layout, start, idle, openTimeout, policy, followRestarts, checkInterval, staleTimeout);
    }

    /**
     * @param follow {@code true}: when a {@code NATIVE} publisher closes, keep waiting for a new one on the same
     *     path instead of completing
     * @return new options
     */
    public ReaderOptions followRestarts(boolean follow) {
        return new ReaderOptions(layout, start, idle, openTimeout, lossPolicy, follow, checkInterval, staleTimeout);
    }

    /**
     * @param interval how often an idle poller checks the path for deletion or a new file, and the publisher's
     *     status and heartbeat; at least 1 ms
     * @return new options
     */
    public ReaderOptions checkInterval(Duration interval) {
        return new ReaderOptions(layout, start, idle, openTimeout, lossPolicy, followRestarts, interval, staleTimeout);
    }

    /**
     * @param timeout heartbeat age after which a {@code NATIVE} publisher is reported stale
     * @return new options
     */
    public ReaderOptions staleTimeout(Duration timeout) {
        return new ReaderOptions(layout, start, idle, openTimeout, lossPolicy, followRestarts, checkInterval, timeout);
    }

    /** @return the layout */
    public Layout layout() {
        return layout;
    }

    /** @return the start position, resolved to the layout's default when none was set */
    public StartPosition start() {
        return start != null ? start : layout == Layout.RTG ? StartPosition.START : StartPosition.LATEST;
    }

    /** @return the idle strategy */
    public IdleStrategy idle() {
        return idle;
    }

    /** @return the open timeout */
    public Duration openTimeout() {
        return openTimeout;
    }

    /** @return the loss policy */
    public LossPolicy lossPolicy() {
        return lossPolicy;
    }

    /** @return whether the subscriber waits for a new publisher after a close */
    public boolean followRestarts() {
        return followRestarts;
    }

    /** @return the file and liveness check interval */
    public Duration checkInterval() {
        return checkInterval;
    }

    /** @return the stale-publisher timeout */
    public Duration staleTimeout() {
        return staleTimeout;
    }

    @Override
    public String toString() {
        return "ReaderOptions[layout=" + layout + ", start=" + start() + ", idle=" + idle + ", openTimeout="
                + openTimeout + ", lossPolicy=" + lossPolicy + ", followRestarts=" + followRestarts + "]";
    }
}
