package io.github.reactivepubsub.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The one idle-time primitive of the library: exact idle rules on a {@link Scheduler}'s clock, without a timer per
 * event. {@link #touch()} records the time of the last activity (one volatile write); a single timer fires when the
 * limit may have elapsed since then, re-arms itself for the remainder if there was activity meanwhile, and otherwise
 * runs the idle action. Because time is read only through the scheduler, a {@code VirtualTimeScheduler} drives it in
 * tests.
 *
 * <p>Used for every idle rule of the product: a session's heartbeats (send one when nothing was sent for the local
 * interval; close when nothing was received for the remote one), the TCP read idle timeout, SoupBinTCP's heartbeats
 * and silence timeouts, and the shared-memory publisher's liveness heartbeat (a timer nobody touches fires once per
 * period).
 *
 * <ul>
 *   <li>The first limit ({@code first}) counts from {@code start}; once touched, the limit is {@code idle}, counted
 *       from the last touch.</li>
 *   <li>{@link Mode#ONCE}: the action runs once and the timer stops. {@link Mode#REPEAT}: the action's run counts
 *       as activity, so it runs again after every further {@code idle} without a touch.</li>
 *   <li>{@link Builder#holdWhile}: while the condition holds at a check, the time counts as activity (a reader
 *       paused by backpressure is not a silent peer).</li>
 * </ul>
 *
 * <p>Threading: {@link #touch()}, {@link #dispose()} and {@link #isDisposed()} from any thread, also from inside the
 * action. Checks and the action run on the scheduler's worker, one at a time.
 *
 * <p>Internal: public only so that the library's modules share it; not API.
 *
 * <pre>{@code
 * IdleTimer silence = IdleTimer.builder(Duration.ofSeconds(15), scheduler).start(() -> close("silent peer"));
 * // per inbound read:
 * silence.touch();
 * }</pre>
 */
public final class IdleTimer implements Disposable {

    /** What happens after the idle action ran. */
    public enum Mode {
        /** The timer stops: the action runs at most once. */
        ONCE,
        /** The run counts as activity: the action runs again after each further idle period. */
        REPEAT
    }

    private final Scheduler scheduler;
    private final long firstNanos;
    private final long idleNanos;
    private final Mode mode;
    private final BooleanSupplier holdWhile;
    private final Runnable onIdle;
    private final Disposable.Swap task = Disposables.swap();
    private volatile long lastActivity;
    private static final AtomicLongFieldUpdater<IdleTimer> LAST_ACTIVITY =
            AtomicLongFieldUpdater.newUpdater(IdleTimer.class, "lastActivity");
    private volatile boolean touched;

    private IdleTimer(Builder builder, Runnable onIdle) {
        this.scheduler = builder.scheduler;
        this.firstNanos = builder.first.toNanos();
        this.idleNanos = builder.idle.toNanos();
        this.mode = builder.mode;
        this.holdWhile = builder.holdWhile;
        this.onIdle = onIdle;
    }

    /**
     * @param idle the longest time without activity; positive
     * @param scheduler the clock and the thread of checks and actions
     * @return a builder of a {@link Mode#ONCE} timer whose first limit is also {@code idle}
     * @throws IllegalArgumentException when {@code idle} is not positive
     */
    public static Builder builder(Duration idle, Scheduler scheduler) {
        return new Builder(idle, scheduler);
    }

    /**
     * Records activity now. Cheap: one read of the scheduler's clock and one ordered (release) write, without the
     * fence of a volatile write: this runs per message, and the check only needs the value eventually (a check that
     * reads it nanoseconds stale re-arms for the remainder, or fires nanoseconds early at worst).
     */
    public void touch() {
        LAST_ACTIVITY.lazySet(this, scheduler.now(TimeUnit.NANOSECONDS));
        if (!touched) {
            touched = true;
        }
    }

    /** Stops the timer: the action does not run (again). Idempotent; may be called from inside the action. */
    @Override
    public void dispose() {
        task.dispose();
    }

    /** @return whether the timer stopped: disposed, or a {@link Mode#ONCE} timer whose action ran */
    @Override
    public boolean isDisposed() {
        return task.isDisposed();
    }

    private void arm(long delayNanos) {
        Disposable t = scheduler.schedule(this::check, delayNanos, TimeUnit.NANOSECONDS);
        if (!task.replace(t)) {
            t.dispose();
        }
    }

    private void check() {
        if (task.isDisposed()) {
            return;
        }
        if (holdWhile.getAsBoolean()) {
            touch();
        }
        long limit = touched ? idleNanos : firstNanos;
        long idleFor = scheduler.now(TimeUnit.NANOSECONDS) - lastActivity;
        if (idleFor < limit) {
            arm(limit - idleFor);
            return;
        }
        if (mode == Mode.REPEAT) {
            touch();
            arm(idleNanos);
        } else {
            task.dispose();
        }
        onIdle.run();
    }

    /** Immutable settings of an {@link IdleTimer}; each setter returns a new builder. */
    public static final class Builder {

        private final Duration idle;
        private final Scheduler scheduler;
        private final Duration first;
        private final Mode mode;
        private final BooleanSupplier holdWhile;

        private Builder(Duration idle, Scheduler scheduler) {
            this(Checks.positive("idle time", idle), Objects.requireNonNull(scheduler, "scheduler"), idle, Mode.ONCE,
                    () -> false);
        }

        private Builder(Duration idle, Scheduler scheduler, Duration first, Mode mode, BooleanSupplier holdWhile) {
            this.idle = idle;
            this.scheduler = scheduler;
            this.first = first;
            this.mode = mode;
            this.holdWhile = holdWhile;
        }

        /**
         * @param first the longest time from start to the first activity; positive
         * @return a builder with it
         */
        public Builder first(Duration first) {
            return new Builder(idle, scheduler, Checks.positive("first time", first), mode, holdWhile);
        }

        /**
         * @param mode whether the action runs once or after every idle period
         * @return a builder with it
         */
        public Builder mode(Mode mode) {
            return new Builder(idle, scheduler, first, Objects.requireNonNull(mode, "mode"), holdWhile);
        }

        /**
         * @param condition checked at each expiry, on the scheduler's thread: while it holds, time counts as activity
         * @return a builder with it
         */
        public Builder holdWhile(BooleanSupplier condition) {
            return new Builder(idle, scheduler, first, mode, Objects.requireNonNull(condition, "condition"));
        }

        /**
         * Starts a timer; its first check is {@code first} from now on the scheduler's clock.
         *
         * @param onIdle the idle action, run on the scheduler's thread; it must not block
         * @return the running timer
         */
        public IdleTimer start(Runnable onIdle) {
            IdleTimer timer = new IdleTimer(this, Objects.requireNonNull(onIdle, "onIdle"));
            timer.lastActivity = scheduler.now(TimeUnit.NANOSECONDS);
            timer.arm(timer.firstNanos);
            return timer;
        }
    }

    /**
     * @param source the items sent
     * @param heartbeat what to send when idle
     * @param interval the idle time after which a heartbeat goes out
     * @param scheduler the clock
     * @param <T> the item type
     * @return {@code source} with {@code heartbeat} merged in whenever nothing passed for {@code interval}, counted
     *     from subscription and from each item or heartbeat; heartbeats stop when {@code source} terminates or is
     *     cancelled. A heartbeat due while the subscriber has no demand, or while items wait for it, is dropped (the
     *     link is busy, not idle). Items pass without a queue unless they meet a heartbeat in flight; the source is
     *     asked for the subscriber's demand less the heartbeats delivered ({@link IdleHeartbeats})
     */
    public static <T> Flux<T> withIdleHeartbeats(Flux<T> source, T heartbeat, Duration interval,
            Scheduler scheduler) {
        return new IdleHeartbeats<>(source, Objects.requireNonNull(heartbeat, "heartbeat"),
                builder(interval, scheduler).mode(Mode.REPEAT));
    }

    /**
     * Times the arrivals of {@code source} and fails the processed stream when it falls silent.
     *
     * <p>Every item of {@code source} counts as activity, whatever {@code process} makes of it; the timer's error
     * ends the stream after {@code process} (a source whose items are released once delivered must be processed
     * into owned values by {@code process} before anything that may queue).
     *
     * @param source the items whose arrival is timed
     * @param process what to make of them; applied once
     * @param firstTimeout how long the first item may take from subscription
     * @param timeout how long each later item may take from the previous one
     * @param scheduler the clock
     * @param error the error to fail with when the limit is exceeded
     * @param <T> the item type
     * @param <R> the processed type
     * @return the processed items; the timer stops when they terminate
     */
    public static <T, R> Flux<R> failOnSilence(Flux<T> source, Function<Flux<T>, Flux<R>> process,
            Duration firstTimeout, Duration timeout, Scheduler scheduler, Supplier<? extends Throwable> error) {
        Builder settings = builder(timeout, scheduler).first(firstTimeout);
        return Flux.defer(() -> {
            IdleTimer[] timer = new IdleTimer[1];
            // errors only, never completes; subscribed before the source and cancelled when the stream ends
            Mono<R> watchdog = Mono.create(sink -> {
                IdleTimer t = settings.start(() -> sink.error(error.get()));
                timer[0] = t;
                sink.onDispose(t);
            });
            // no merge: the downstream demand reaches the source unchanged (an unbounded consumer keeps a socket
            // reading without pauses), and nothing is queued
            return TakeUntilOther.of(process.apply(source.doOnNext(x -> timer[0].touch())), watchdog);
        });
    }
}
