package io.github.reactivepubsub.samples.web.market;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivepubsub.samples.web.rtg.Instrument;
import io.github.reactivepubsub.samples.web.rtg.Level;
import io.github.reactivepubsub.samples.web.rtg.MarketData;
import io.github.reactivepubsub.samples.web.rtg.MessageType;
import io.github.reactivepubsub.samples.web.rtg.RtgCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

class ExchangeSimulatorTest {

    private static final int STEPS = 2_000;

    private static List<List<MarketData>> run(long seed, int steps) {
        ExchangeSimulator exchange = new ExchangeSimulator(seed);
        List<List<MarketData>> ticks = new ArrayList<>(steps);
        for (int i = 0; i < steps; i++) {
            ticks.add(exchange.step());
        }
        return ticks;
    }

    @Test
    void sameSeedSameMarketOtherSeedOtherMarket() {
        assertThat(run(7, 200)).isEqualTo(run(7, 200));
        assertThat(run(7, 200)).isNotEqualTo(run(8, 200));
    }

    @Test
    void eachTickSendsFutureThenEtfBooksWithTheTickNumberThenTradeTicks() {
        List<List<MarketData>> ticks = run(42, STEPS);
        for (int t = 0; t < ticks.size(); t++) {
            List<MarketData> tick = ticks.get(t);
            assertThat(tick).hasSizeBetween(2, 4);
            assertThat(tick.get(0).type()).isEqualTo(MessageType.ORDER_BOOK_UPDATE);
            assertThat(tick.get(0).instrument()).isEqualTo(Instrument.FUTURE);
            assertThat(tick.get(1).type()).isEqualTo(MessageType.ORDER_BOOK_UPDATE);
            assertThat(tick.get(1).instrument()).isEqualTo(Instrument.ETF);
            assertThat(tick.get(0).sequence()).isEqualTo(tick.get(1).sequence()).isEqualTo(t + 1);
            List<MarketData> trades = tick.subList(2, tick.size());
            assertThat(trades).allMatch(m -> m.type() == MessageType.TRADE_TICKS);
            assertThat(trades).extracting(MarketData::instrument).doesNotHaveDuplicates().isSorted();
        }
    }

    @Test
    void tradeTickSequencesStartAtTwoAndAreConsecutivePerInstrument() {
        Map<Instrument, Long> last = new EnumMap<>(Map.of(Instrument.FUTURE, 1L, Instrument.ETF, 1L));
        run(42, STEPS).stream().flatMap(List::stream).filter(m -> m.type() == MessageType.TRADE_TICKS)
                .forEach(m -> {
                    assertThat(m.sequence()).as("%s", m).isEqualTo(last.get(m.instrument()) + 1);
                    last.put(m.instrument(), m.sequence());
                });
        // about 0.4 trades a tick per instrument
        assertThat(last.values()).allSatisfy(n -> assertThat(n).isBetween(STEPS / 4L, STEPS / 2L + 2));
    }

    @Test
    void booksHaveFiveOrderedLevelsOnTheTickGridAndNeverCross() {
        for (List<MarketData> tick : run(42, STEPS)) {
            for (MarketData book : tick.subList(0, 2)) {
                assertThat(book.asks()).hasSize(5);
                assertThat(book.bids()).hasSize(5);
                assertThat(book.asks()).extracting(Level::price).isSorted().doesNotHaveDuplicates()
                        .allMatch(p -> p % ExchangeSimulator.TICK_SIZE == 0);
                assertThat(book.bids()).extracting(Level::price).isSortedAccordingTo((a, b) -> Long.compare(b, a))
                        .doesNotHaveDuplicates().allMatch(p -> p % ExchangeSimulator.TICK_SIZE == 0);
                long spread = book.asks().get(0).price() - book.bids().get(0).price();
                assertThat(spread).isIn(ExchangeSimulator.TICK_SIZE, 2 * ExchangeSimulator.TICK_SIZE);
                assertThat(book.asks()).allMatch(l -> l.volume() > 0);
                assertThat(book.bids()).allMatch(l -> l.volume() > 0);
            }
        }
    }

    @Test
    void tradesHappenAtTheQuotedPricesOnOneSideAtATime() {
        for (List<MarketData> tick : run(42, STEPS)) {
            for (MarketData trades : tick.subList(2, tick.size())) {
                MarketData book = tick.get(trades.instrument().ordinal());
                assertThat(trades.asks().isEmpty()).isNotEqualTo(trades.bids().isEmpty());
                assertThat(trades.asks()).extracting(Level::price).isSorted()
                        .isSubsetOf(book.asks().stream().map(Level::price).toList());
                assertThat(trades.bids()).extracting(Level::price).isSortedAccordingTo((a, b) -> Long.compare(b, a))
                        .isSubsetOf(book.bids().stream().map(Level::price).toList());
                assertThat(trades.asks()).allMatch(l -> l.volume() > 0);
                assertThat(trades.bids()).allMatch(l -> l.volume() > 0);
            }
        }
    }

    @Test
    void pricesWalkAndTheEtfTracksTheFuture() {
        Set<Long> futureMids = new HashSet<>();
        for (List<MarketData> tick : run(42, STEPS)) {
            long futureBid = tick.get(0).bids().get(0).price();
            long etfBid = tick.get(1).bids().get(0).price();
            futureMids.add(futureBid);
            assertThat(Math.abs(futureBid - etfBid)).as("ETF premium")
                    .isLessThanOrEqualTo(5 * ExchangeSimulator.TICK_SIZE);
        }
        assertThat(futureMids).as("distinct best bids of the future").hasSizeGreaterThan(10);
    }

    @Test
    void datagramsAreTheEncodedStepsOnTheTimer() {
        ExchangeSimulator twin = new ExchangeSimulator(3);
        VirtualTimeScheduler timer = VirtualTimeScheduler.create();
        StepVerifier.withVirtualTime(() -> new ExchangeSimulator(3).datagrams(Duration.ofMillis(100), timer)
                        .map(RtgCodec::decode), () -> timer, Long.MAX_VALUE)
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(99))
                .thenAwait(Duration.ofMillis(1))
                .expectNextSequence(twin.step())
                .expectNoEvent(Duration.ofMillis(99))
                .thenAwait(Duration.ofMillis(1))
                .expectNextSequence(twin.step())
                .thenCancel()
                .verify(Duration.ofSeconds(5));
    }
}
