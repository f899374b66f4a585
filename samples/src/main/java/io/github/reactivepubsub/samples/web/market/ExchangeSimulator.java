package io.github.reactivepubsub.samples.web.market;

import io.github.reactivepubsub.samples.web.rtg.Instrument;
import io.github.reactivepubsub.samples.web.rtg.Level;
import io.github.reactivepubsub.samples.web.rtg.MarketData;
import io.github.reactivepubsub.samples.web.rtg.MessageType;
import io.github.reactivepubsub.samples.web.rtg.RtgCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;

/**
 * A small exchange in the manner of Ready Trader Go's: two instruments, a FUTURE whose fair value follows a seeded
 * random walk and an ETF that tracks it with a small mean-reverting premium. Each timer tick the exchange requotes
 * both order books around the fair values (1-tick spread mostly, sometimes 2; five levels a side; prices on a
 * 1.00 tick), lets random aggressive orders trade against them, then reports what Ready Trader Go reports:
 *
 * <ol>
 *   <li>an ORDER_BOOK_UPDATE for FUTURE, then one for ETF, both with the tick number as sequence (from 1);</li>
 *   <li>a TRADE_TICKS for each instrument that traded during the tick, with that instrument's own sequence
 *       (incremented before sending, so the first one is 2): buys that lifted asks lowest price first, sells
 *       that hit bids highest first.</li>
 * </ol>
 *
 * <p>The same seed gives the same messages. Not thread-safe: one caller of {@link #step()} at a time (the Flux
 * of {@link #datagrams} serializes its own calls).
 *
 * <pre>{@code
 * ExchangeSimulator exchange = new ExchangeSimulator(42);
 * Disposable feed = exchange.datagrams(Duration.ofMillis(100), Schedulers.single()).subscribe(feed::write);
 * }</pre>
 */
public final class ExchangeSimulator {

    /** Price tick: every quoted price is a multiple of 100 cents. */
    public static final long TICK_SIZE = 100;
    /** The FUTURE's initial fair value, in cents (1000.00). */
    public static final long INITIAL_PRICE = 100_000;

    private static final int LEVELS = RtgCodec.LEVELS;
    private static final double TRADE_PROBABILITY = 0.4;

    private final Random random;
    private final OrderBook future = new OrderBook(Instrument.FUTURE);
    private final OrderBook etf = new OrderBook(Instrument.ETF);
    private double futureFair = INITIAL_PRICE;
    private double etfPremium;
    private long tick;

    /** @param seed the random walk's seed */
    public ExchangeSimulator(long seed) {
        this.random = new Random(seed);
    }

    /**
     * Advances the exchange by one timer tick.
     *
     * @return the messages of this tick, in the order the exchange sends them
     */
    public List<MarketData> step() {
        tick++;
        futureFair = Math.max(10 * TICK_SIZE, futureFair + random.nextGaussian() * 40);
        etfPremium = 0.9 * etfPremium + random.nextGaussian() * 20;
        future.requote(futureFair);
        etf.requote(futureFair + etfPremium);
        future.maybeTrade();
        etf.maybeTrade();

        List<MarketData> out = new ArrayList<>(4);
        out.add(future.bookUpdate(tick));
        out.add(etf.bookUpdate(tick));
        future.tradeTicks().ifPresent(out::add);
        etf.tradeTicks().ifPresent(out::add);
        return out;
    }

    /**
     * The exchange's datagrams, one {@link #step()} every {@code interval} (the first after one interval), each
     * message encoded by {@link RtgCodec}. Cold: each subscription drives this simulator from where it is, so
     * subscribe once. Unbounded demand expected (like a timer, it cannot wait).
     *
     * @param interval the timer period (Ready Trader Go: 250 ms at speed 1)
     * @param scheduler the timer's scheduler; the steps run on it
     * @return the datagrams
     */
    public Flux<byte[]> datagrams(Duration interval, Scheduler scheduler) {
        return Flux.interval(interval, interval, scheduler)
                .concatMapIterable(i -> step())
                .map(RtgCodec::encode);
    }

    /** One instrument's top of book and the trades pending report. */
    private final class OrderBook {
        private final Instrument instrument;
        private final long[] askVolumes = new long[LEVELS];
        private final long[] bidVolumes = new long[LEVELS];
        private final TreeMap<Long, Long> liftedAsks = new TreeMap<>();
        private final TreeMap<Long, Long> hitBids = new TreeMap<>(Comparator.reverseOrder());
        private long bestBid;
        private long bestAsk;
        private long tradeSequence = 1;

        OrderBook(Instrument instrument) {
            this.instrument = instrument;
        }

        void requote(double fair) {
            long newBid = Math.floorDiv((long) fair, TICK_SIZE) * TICK_SIZE;
            int spreadTicks = random.nextDouble() < 0.8 ? 1 : 2;
            if (spreadTicks == 2 && random.nextBoolean()) {
                newBid -= TICK_SIZE;
            }
            long newAsk = newBid + spreadTicks * TICK_SIZE;
            // keep the volume resting at prices still quoted; fresh volume where the book moved to a new price
            shift(bidVolumes, bestBid == 0 ? LEVELS : (int) ((bestBid - newBid) / TICK_SIZE));
            shift(askVolumes, bestAsk == 0 ? LEVELS : (int) ((newAsk - bestAsk) / TICK_SIZE));
            bestBid = newBid;
            bestAsk = newAsk;
            for (int i = 0; i < LEVELS; i++) {
                bidVolumes[i] = Math.max(1, bidVolumes[i] + random.nextInt(-6, 7));
                askVolumes[i] = Math.max(1, askVolumes[i] + random.nextInt(-6, 7));
            }
        }

        /** New level i holds what old level i + by held, or fresh volume. */
        private void shift(long[] volumes, int by) {
            long[] old = volumes.clone();
            for (int i = 0; i < LEVELS; i++) {
                int from = i + by;
                volumes[i] = from >= 0 && from < LEVELS ? old[from] : freshVolume(i);
            }
        }

        private long freshVolume(int level) {
            return 10 + 20L * level + random.nextInt(60);
        }

        void maybeTrade() {
            if (random.nextDouble() >= TRADE_PROBABILITY) {
                return;
            }
            boolean buy = random.nextBoolean();
            long[] volumes = buy ? askVolumes : bidVolumes;
            long remaining = 1 + random.nextInt((int) Math.min(Integer.MAX_VALUE - 1, volumes[0] + volumes[1] / 2));
            for (int i = 0; i < LEVELS && remaining > 0; i++) {
                long take = Math.min(remaining, volumes[i]);
                long price = buy ? bestAsk + i * TICK_SIZE : bestBid - i * TICK_SIZE;
                (buy ? liftedAsks : hitBids).merge(price, take, Long::sum);
                volumes[i] -= take;
                remaining -= take;
                if (volumes[i] == 0) {
                    volumes[i] = freshVolume(i); // a market maker requotes the emptied level
                }
            }
        }

        MarketData bookUpdate(long sequence) {
            List<Level> asks = new ArrayList<>(LEVELS);
            List<Level> bids = new ArrayList<>(LEVELS);
            for (int i = 0; i < LEVELS; i++) {
                asks.add(new Level(bestAsk + i * TICK_SIZE, askVolumes[i]));
                bids.add(new Level(bestBid - i * TICK_SIZE, bidVolumes[i]));
            }
            return new MarketData(MessageType.ORDER_BOOK_UPDATE, instrument, sequence, asks, bids);
        }

        Optional<MarketData> tradeTicks() {
            if (liftedAsks.isEmpty() && hitBids.isEmpty()) {
                return Optional.empty();
            }
            tradeSequence++;
            MarketData ticks = new MarketData(MessageType.TRADE_TICKS, instrument, tradeSequence,
                    levels(liftedAsks), levels(hitBids));
            liftedAsks.clear();
            hitBids.clear();
            return Optional.of(ticks);
        }

        /** One order a tick takes at most two levels, so the five of the message always suffice. */
        private List<Level> levels(TreeMap<Long, Long> traded) {
            List<Level> levels = new ArrayList<>(traded.size());
            traded.forEach((price, volume) -> levels.add(new Level(price, volume)));
            return levels;
        }
    }
}
