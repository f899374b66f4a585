package io.github.reactivepubsub.samples.web.market;

import java.time.Duration;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * Runs an {@link ExchangeSimulator} on its own timer thread ({@code rtg-exchange}, a Reactor non-blocking thread)
 * and writes its datagrams into a {@link MarketFeed}.
 *
 * <pre>{@code
 * SimulatedExchange exchange = new SimulatedExchange(new ExchangeSimulator(42), Duration.ofMillis(100), feed);
 * exchange.start();
 * // ...
 * exchange.close();
 * }</pre>
 */
public final class SimulatedExchange implements AutoCloseable {

    private static final Logger LOG = Loggers.getLogger(SimulatedExchange.class);

    private final ExchangeSimulator simulator;
    private final Duration interval;
    private final MarketFeed feed;
    private final Scheduler timer;
    private final boolean ownsTimer;
    private volatile boolean closed;
    private volatile Disposable running = Disposables.disposed();

    /**
     * @param simulator the exchange (used by this runner only from now on)
     * @param interval the timer period
     * @param feed where the datagrams go (not closed by this runner)
     */
    public SimulatedExchange(ExchangeSimulator simulator, Duration interval, MarketFeed feed) {
        this(simulator, interval, feed, Schedulers.newSingle("rtg-exchange", true), true);
    }

    /** On a given timer (tests: virtual time), which {@link #close()} leaves running. */
    SimulatedExchange(ExchangeSimulator simulator, Duration interval, MarketFeed feed, Scheduler timer) {
        this(simulator, interval, feed, timer, false);
    }

    private SimulatedExchange(ExchangeSimulator simulator, Duration interval, MarketFeed feed, Scheduler timer,
            boolean ownsTimer) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive, got " + interval);
        }
        this.simulator = simulator;
        this.interval = interval;
        this.feed = feed;
        this.timer = timer;
        this.ownsTimer = ownsTimer;
    }

    /**
     * Starts the timer.
     *
     * @throws IllegalStateException when already started or closed
     */
    public synchronized void start() {
        if (closed || !running.isDisposed()) {
            throw new IllegalStateException("the simulated exchange was already started");
        }
        running = simulator.datagrams(interval, timer)
                .subscribe(feed::write, error -> LOG.error("simulated exchange stopped", error));
    }

    /** @return the timer period */
    public Duration interval() {
        return interval;
    }

    /** Stops the timer. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        running.dispose();
        if (ownsTimer) {
            timer.dispose();
        }
    }
}
