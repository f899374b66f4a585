package io.github.reactivepubsub.samples.web.market;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.Message;
import io.github.reactivepubsub.samples.web.rtg.Instrument;
import io.github.reactivepubsub.samples.web.rtg.Level;
import io.github.reactivepubsub.samples.web.rtg.MarketData;
import io.github.reactivepubsub.samples.web.rtg.MessageType;
import io.github.reactivepubsub.samples.web.rtg.RtgCodec;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

class DirectMarketFeedTest {

    private final Hub hub = Hub.create();

    @AfterEach
    void closeHub() {
        hub.close();
    }

    @Test
    void publishesBooksAndTradesUnderTheirInstrumentKeys() {
        List<Message<MarketData>> received = new CopyOnWriteArrayList<>();
        Disposable subscription = hub.<MarketData>subscribe(Key.parse("market.**")).subscribe(received::add);
        MarketData book = new MarketData(MessageType.ORDER_BOOK_UPDATE, Instrument.ETF, 3,
                List.of(new Level(10100, 1)), List.of(new Level(10000, 2)));
        MarketData ticks = new MarketData(MessageType.TRADE_TICKS, Instrument.FUTURE, 2,
                List.of(), List.of(new Level(9900, 4)));

        try (MarketFeed feed = new DirectMarketFeed(hub)) {
            feed.write(RtgCodec.encode(book));
            feed.write(RtgCodec.encode(ticks));

            assertThat(received).containsExactly(new Message<>(Key.parse("market.book.ETF"), book),
                    new Message<>(Key.parse("market.trades.FUTURE"), ticks));
            assertThat(feed.written()).isEqualTo(2);
            assertThat(feed.rejected()).isZero();
        } finally {
            subscription.dispose();
        }
    }

    @Test
    void skipsAndCountsADatagramThatDoesNotDecode() {
        List<Message<MarketData>> received = new CopyOnWriteArrayList<>();
        Disposable subscription = hub.<MarketData>subscribe(Key.parse("market.**")).subscribe(received::add);
        MarketData book = new MarketData(MessageType.ORDER_BOOK_UPDATE, Instrument.FUTURE, 1, List.of(), List.of());

        try (MarketFeed feed = new DirectMarketFeed(hub)) {
            feed.write(new byte[] {0, 3, 99});
            feed.write(RtgCodec.encode(book));

            assertThat(feed.rejected()).isEqualTo(1);
            assertThat(feed.written()).isEqualTo(2);
            assertThat(received).extracting(Message::payload).containsExactly(book);
        } finally {
            subscription.dispose();
        }
    }

    @Test
    void simulatedExchangeRunsOnItsTimerUntilClosed() throws InterruptedException {
        List<Message<MarketData>> received = new CopyOnWriteArrayList<>();
        Disposable subscription = hub.<MarketData>subscribe(Key.parse("market.book.FUTURE")).subscribe(received::add);
        MarketFeed feed = new DirectMarketFeed(hub);
        SimulatedExchange exchange = new SimulatedExchange(new ExchangeSimulator(1), java.time.Duration.ofMillis(5),
                feed);
        try {
            exchange.start();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (received.size() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(5); // waiting for a real timer thread, bounded
            }
            assertThat(received).extracting(m -> m.payload().sequence()).startsWith(1L, 2L, 3L);
        } finally {
            exchange.close();
            subscription.dispose();
        }
        long afterClose = feed.written();
        Thread.sleep(50); // ten periods: nothing more may arrive
        assertThat(feed.written()).isEqualTo(afterClose);
    }
}
