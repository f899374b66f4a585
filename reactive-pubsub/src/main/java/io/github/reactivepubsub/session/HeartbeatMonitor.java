package io.github.reactivepubsub.session;

import io.github.reactivepubsub.internal.Checks;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * Watches for activity and runs a handler when there was none for a number of fixed-period checks: the contract
 * of nasdaq_protocols' {@code HeartbeatMonitor}, for applications that port code relying on it. (Sessions use exact
 * idle rules instead: see {@link Session#startHeartbeats}.)
 *
 * <ul>
 *   <li>Checks happen at {@code interval}, {@code 2 x interval}, ... after {@link #start}: a fixed period, not a
 *       deadline reset by activity. Each check is scheduled on the {@link Scheduler} only after the previous one
 *       finished, including its handler, so a slow handler shifts later checks and checks never pile up.</li>
 *   <li>The "pinged" flag starts {@code true}: the first check always passes.</li>
 *   <li>At a check: if pinged, clear the flag and reset the missed count. Otherwise count a miss; when the count
 *       reaches {@code toleratedMisses} (0 behaves like 1) the monitor trips: the handler runs to completion,
 *       then the monitor stops if {@code stopWhenNoActivity}, or keeps checking. A trip does not reset the missed
 *       count, so a non-stopping monitor trips again at every following idle check until a ping arrives.</li>
 * </ul>
 * Without pings the first trip is at exactly {@code (N + 1) x interval}; with the last ping at {@code p} it is in
 * {@code [p + N x interval, p + (N + 1) x interval)}.
 *
 * <p>Threading: {@link #ping()}, {@link #stop()} and {@link #isRunning()} may be called from any thread, also
 * from inside the handler. Checks run on the scheduler's worker, one at a time; the handler is subscribed there.
 *
 * <pre>{@code
 * HeartbeatMonitor remote = HeartbeatMonitor.start(Duration.ofSeconds(15), 1, true, Schedulers.parallel(),
 *         () -> session.close());
 * // per inbound packet:
 * remote.ping();
 * }</pre>
 */
public final class HeartbeatMonitor {

    private static final Logger LOG = Loggers.getLogger(HeartbeatMonitor.class);

    private final Duration interval;
    private final int toleratedMisses;
    private final boolean stopWhenNoActivity;
    private final Scheduler scheduler;
    private final Supplier<? extends Mono<?>> onNoActivity;
    private final Disposable.Swap nextCheck = Disposables.swap();

    private volatile boolean pinged = true;
    private volatile boolean running = true;
    /** Touched only by checks, which never overlap (each is scheduled after the previous finished). */
    private int missed;

    private HeartbeatMonitor(Duration interval, int toleratedMisses, boolean stopWhenNoActivity, Scheduler scheduler,
            Supplier<? extends Mono<?>> onNoActivity) {
        this.interval = Checks.positive("interval", interval);
        this.toleratedMisses = Math.max(1, Checks.notNegative("toleratedMisses", toleratedMisses));
        this.stopWhenNoActivity = stopWhenNoActivity;
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.onNoActivity = Objects.requireNonNull(onNoActivity, "onNoActivity");
    }

    /**
     * Starts a monitor; its first check is {@code interval} from now on the scheduler's clock.
     *
     * @param interval the check period, positive
     * @param toleratedMisses idle checks in a row that trip the monitor; 0 behaves like 1
     * @param stopWhenNoActivity whether the monitor stops after its first trip (else it trips at every idle check)
     * @param scheduler the clock and the thread of checks and handlers ({@code VirtualTimeScheduler} in tests)
     * @param onNoActivity the handler: a {@code Mono} that the check subscribes and waits for; its error is logged
     *     and treated as completion
     * @return the running monitor
     * @throws IllegalArgumentException when {@code interval} is not positive or {@code toleratedMisses < 0}
     */
    public static HeartbeatMonitor start(Duration interval, int toleratedMisses, boolean stopWhenNoActivity,
            Scheduler scheduler, Supplier<? extends Mono<?>> onNoActivity) {
        HeartbeatMonitor monitor =
                new HeartbeatMonitor(interval, toleratedMisses, stopWhenNoActivity, scheduler, onNoActivity);
        monitor.scheduleCheck();
        return monitor;
    }

    /** Records activity. Cheap (one volatile write); call it per inbound packet or outbound message. */
    public void ping() {
        pinged = true;
    }

    /** Stops the monitor: no further check or trip. Idempotent; may be called from inside the handler. */
    public void stop() {
        running = false;
        nextCheck.dispose();
    }

    /** @return {@code false} after {@link #stop()} or after a trip of a monitor that stops when idle */
    public boolean isRunning() {
        return running;
    }

    /** @return the check period */
    public Duration interval() {
        return interval;
    }

    private void scheduleCheck() {
        if (running) {
            nextCheck.update(Mono.delay(interval, scheduler).subscribe(tick -> check()));
        }
    }

    private void check() {
        if (!running) {
            return;
        }
        if (pinged) {
            pinged = false;
            missed = 0;
            scheduleCheck();
            return;
        }
        missed++;
        if (missed < toleratedMisses) {
            scheduleCheck();
            return;
        }
        Mono.defer(onNoActivity).subscribe(value -> { }, error -> {
            LOG.warn("heartbeat monitor handler failed after " + missed + " idle checks of " + interval
                    + "; treating it as completed", error);
            afterTrip();
        }, this::afterTrip);
    }

    private void afterTrip() {
        if (stopWhenNoActivity) {
            stop();
        } else {
            scheduleCheck();
        }
    }
}
