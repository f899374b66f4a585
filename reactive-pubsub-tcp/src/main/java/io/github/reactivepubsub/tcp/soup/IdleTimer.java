package io.github.reactivepubsub.tcp.soup;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/**
 * Exact idle rules on a {@link Scheduler}'s clock, without a timer per message: {@link #touch()} records the time
 * of the last activity (one volatile write); a single timer fires when {@code idle} may have elapsed since then,
 * re-arms itself for the remainder if there was activity meanwhile, and otherwise runs the idle action.
 *
 * <p>Used for both heartbeat rules of SoupBinTCP: send a heartbeat when nothing was sent for the interval
 * ({@link #withIdleHeartbeats}), and fail when nothing was received for the timeout ({@link #failOnSilence}).
 * Because time is read only through the scheduler, a {@code VirtualTimeScheduler} drives it in tests.
 */
final class IdleTimer {

    /** Items requested at a time from the timed source when merging in the timer's signals. */
    private static final int PREFETCH = 256;

    private final Scheduler scheduler;
    private final long firstNanos;
    private final long idleNanos;
    private final Runnable onIdle;
    private final boolean repeat;
    private final Disposable.Swap task = Disposables.swap();
    private volatile long lastActivity;
    private volatile boolean touched;

    /**
     * @param first how long the wait for the first activity may be
     * @param idle how long later waits may be
     */
    private IdleTimer(Scheduler scheduler, Duration first, Duration idle, Runnable onIdle, boolean repeat) {
        this.scheduler = scheduler;
        this.firstNanos = first.toNanos();
        this.idleNanos = idle.toNanos();
        this.onIdle = onIdle;
        this.repeat = repeat;
    }

    void touch() {
        lastActivity = scheduler.now(TimeUnit.NANOSECONDS);
        if (!touched) {
            touched = true;
        }
    }

    private void start() {
        lastActivity = scheduler.now(TimeUnit.NANOSECONDS);
        arm(firstNanos);
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
        long limit = touched ? idleNanos : firstNanos;
        long idleFor = scheduler.now(TimeUnit.NANOSECONDS) - lastActivity;
        if (idleFor < limit) {
            arm(limit - idleFor);
            return;
        }
        if (repeat) {
            touch();
            arm(idleNanos);
        } else {
            task.dispose();
        }
        onIdle.run();
    }

    void stop() {
        task.dispose();
    }

    /**
     * @return {@code source} with {@code heartbeat} merged in whenever nothing passed for {@code interval}, counted
     *     from subscription and from each item or heartbeat; heartbeats stop when {@code source} terminates or is
     *     cancelled. Heartbeats arriving without demand are dropped (the link is busy, not idle).
     */
    static <T> Flux<T> withIdleHeartbeats(Flux<T> source, T heartbeat, Duration interval, Scheduler scheduler) {
        return Flux.defer(() -> {
            Sinks.Empty<Void> sourceDone = Sinks.empty();
            IdleTimer[] timer = new IdleTimer[1];
            Flux<T> beats = Flux.<T>create(sink -> {
                IdleTimer t = new IdleTimer(scheduler, interval, interval, () -> sink.next(heartbeat), true);
                timer[0] = t;
                sink.onDispose(t::stop);
                t.start();
            }).onBackpressureDrop().takeUntilOther(sourceDone.asMono());
            return Flux.merge(PREFETCH, beats, source.doFinally(s -> sourceDone.tryEmitEmpty()))
                    .doOnNext(x -> timer[0].touch());
        });
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
     * @param error the error to fail with when the limit is exceeded
     * @return the processed items; the timer stops when they terminate
     */
    static <T, R> Flux<R> failOnSilence(Flux<T> source, Function<Flux<T>, Flux<R>> process, Duration firstTimeout,
            Duration timeout, Scheduler scheduler, Supplier<? extends Throwable> error) {
        return Flux.defer(() -> {
            IdleTimer[] timer = new IdleTimer[1];
            // errors only, never completes; takeUntilOther subscribes it first and cancels it when the stream ends
            Mono<R> watchdog = Mono.create(sink -> {
                IdleTimer t = new IdleTimer(scheduler, firstTimeout, timeout, () -> sink.error(error.get()),
                        false);
                timer[0] = t;
                sink.onDispose(t::stop);
                t.start();
            });
            // no merge: the downstream demand reaches the source unchanged (an unbounded consumer keeps a socket
            // reading without pauses), and nothing is queued
            return process.apply(source.doOnNext(x -> timer[0].touch())).takeUntilOther(watchdog);
        });
    }
}
