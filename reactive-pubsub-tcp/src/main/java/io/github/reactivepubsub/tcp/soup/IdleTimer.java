package io.github.reactivepubsub.tcp.soup;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
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
    private final long idleNanos;
    private final Runnable onIdle;
    private final boolean repeat;
    private final Disposable.Swap task = Disposables.swap();
    private volatile long lastActivity;

    private IdleTimer(Scheduler scheduler, Duration idle, Runnable onIdle, boolean repeat) {
        this.scheduler = scheduler;
        this.idleNanos = idle.toNanos();
        this.onIdle = onIdle;
        this.repeat = repeat;
    }

    void touch() {
        lastActivity = scheduler.now(TimeUnit.NANOSECONDS);
    }

    private void start() {
        touch();
        arm(idleNanos);
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
        long idleFor = scheduler.now(TimeUnit.NANOSECONDS) - lastActivity;
        if (idleFor < idleNanos) {
            arm(idleNanos - idleFor);
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
                IdleTimer t = new IdleTimer(scheduler, interval, () -> sink.next(heartbeat), true);
                timer[0] = t;
                sink.onDispose(t::stop);
                t.start();
            }).onBackpressureDrop().takeUntilOther(sourceDone.asMono());
            return Flux.merge(PREFETCH, beats, source.doFinally(s -> sourceDone.tryEmitEmpty()))
                    .doOnNext(x -> timer[0].touch());
        });
    }

    /**
     * @return {@code source}, failing with {@code error} when nothing arrived from it for {@code timeout}
     *     (counted from subscription and from each item); the timer stops when {@code source} terminates
     */
    static <T> Flux<T> failOnSilence(Flux<T> source, Duration timeout, Scheduler scheduler,
            Supplier<? extends Throwable> error) {
        return Flux.defer(() -> {
            Sinks.Empty<Void> sourceDone = Sinks.empty();
            IdleTimer[] timer = new IdleTimer[1];
            Mono<T> watchdog = Mono.<T>create(sink -> {
                IdleTimer t = new IdleTimer(scheduler, timeout, () -> sink.error(error.get()), false);
                timer[0] = t;
                sink.onDispose(t::stop);
                t.start();
            }).takeUntilOther(sourceDone.asMono());
            return Flux.merge(PREFETCH, watchdog, source.doOnNext(x -> timer[0].touch())
                    .doFinally(s -> sourceDone.tryEmitEmpty()));
        });
    }
}
