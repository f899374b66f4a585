package io.github.reactivepubsub.session;

import io.github.reactivepubsub.internal.Checks;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Immutable session options; every setter returns a new instance.
 *
 * <pre>{@code
 * SessionOptions options = SessionOptions.defaults().name("ouch-1").drainTimeout(Duration.ofSeconds(2));
 * }</pre>
 *
 * <p>Thread-safe (immutable).
 */
public final class SessionOptions {

    private static final SessionOptions DEFAULTS =
            new SessionOptions("session", true, Duration.ofSeconds(5), Schedulers.parallel(), null);

    private final String name;
    private final boolean gracefulShutdown;
    private final Duration drainTimeout;
    private final Scheduler scheduler;
    private final @Nullable SessionStats stats;

    private SessionOptions(String name, boolean gracefulShutdown, Duration drainTimeout, Scheduler scheduler,
            @Nullable SessionStats stats) {
        this.name = Objects.requireNonNull(name, "name");
        this.gracefulShutdown = gracefulShutdown;
        this.drainTimeout = Checks.notNegative("drainTimeout", drainTimeout);
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.stats = stats;
    }

    /**
     * @return name {@code "session"}, graceful shutdown on, drain timeout 5 s, scheduler
     *     {@code Schedulers.parallel()}, no stats
     */
    public static SessionOptions defaults() {
        return DEFAULTS;
    }

    /** @return the name used in log lines and error messages */
    public String name() {
        return name;
    }

    /**
     * @param name the name used in log lines and error messages (e.g. the peer's address)
     * @return a copy with this name
     */
    public SessionOptions name(String name) {
        return new SessionOptions(name, gracefulShutdown, drainTimeout, scheduler, stats);
    }

    /** @return whether {@code close()}, {@code initiateClose()} and a peer's close deliver kept messages first */
    public boolean gracefulShutdown() {
        return gracefulShutdown;
    }

    /**
     * @param graceful whether a close delivers messages already received before completing (else they are
     *     discarded); closes for an error (protocol, heartbeat, transport) never drain
     * @return a copy with this setting
     */
    public SessionOptions gracefulShutdown(boolean graceful) {
        return new SessionOptions(name, graceful, drainTimeout, scheduler, stats);
    }

    /** @return how long a graceful close waits for consumers to take kept messages */
    public Duration drainTimeout() {
        return drainTimeout;
    }

    /**
     * @param timeout how long a graceful close waits for consumers to take kept messages before discarding the
     *     rest (logged with their count)
     * @return a copy with this timeout
     */
    public SessionOptions drainTimeout(Duration timeout) {
        return new SessionOptions(name, gracefulShutdown, timeout, scheduler, stats);
    }

    /** @return the scheduler of timers (drain timeout, heartbeats) */
    public Scheduler scheduler() {
        return scheduler;
    }

    /**
     * @param scheduler the clock and thread of timers (drain timeout, heartbeats); a {@code VirtualTimeScheduler}
     *     in tests
     * @return a copy with this scheduler
     */
    public SessionOptions scheduler(Scheduler scheduler) {
        return new SessionOptions(name, gracefulShutdown, drainTimeout, scheduler, stats);
    }

    /** @return the stats the session records into, or {@code null} when it records none */
    public @Nullable SessionStats stats() {
        return stats;
    }

    /**
     * @param stats what the session records its frames, bytes, heartbeats and close into (share one among many
     *     sessions to total them); {@code null} records nothing
     * @return a copy with these stats
     */
    public SessionOptions stats(@Nullable SessionStats stats) {
        return new SessionOptions(name, gracefulShutdown, drainTimeout, scheduler, stats);
    }

    @Override
    public String toString() {
        return "SessionOptions[name=" + name + ", gracefulShutdown=" + gracefulShutdown + ", drainTimeout="
                + drainTimeout + ", scheduler=" + scheduler + "]";
    }
}
