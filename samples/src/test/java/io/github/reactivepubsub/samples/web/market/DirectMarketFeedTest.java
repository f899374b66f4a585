package io.github.reactivepubsub.samples.web.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.Message;
import io.github.reactivepubsub.samples.web.rtg.Instrument;
import io.github.reactivepubsub.samples.web.rtg.Level;
import io.github.reactivepubsub.samples.web.rtg.MarketData;
import io.github.reactivepubsub.samples.web.rtg.MessageType;
import io.github.reactivepubsub.samples.web.rtg.RtgCodec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

class DirectMarketFeedTest {

    private final Hub hub = Hub.create();

    @AfterEach
    void closeHub() {
        hub.close();
    }

    /** @return what a subscriber of {@code pattern} receives until the hub closes after the test */
    private List<Message<MarketData>> receive(String pattern) {
        List<Message<MarketData>> received = new CopyOnWriteArrayList<>();
        hub.<MarketData>subscribe(Key.parse(pattern)).subscribe(received::add);
        return received;
    }

    @Test
    void publishesBooksAndTradesUnderTheirInstrumentKeys() {
        List<Message<MarketData>> received = receive("market.**");
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
        }
    }

    @Test
    void skipsAndCountsADatagramThatDoesNotDecode() {
        List<Message<MarketData>> received = receive("market.**");
        MarketData book = new MarketData(MessageType.ORDER_BOOK_UPDATE, Instrument.FUTURE, 1, List.of(), List.of());

        try (MarketFeed feed = new DirectMarketFeed(hub)) {
            feed.write(new byte[] {0, 3, 99});
            feed.write(RtgCodec.encode(book));

            assertThat(feed.rejected()).isEqualTo(1);
            assertThat(feed.written()).isEqualTo(2);
            assertThat(received).extracting(Message::payload).containsExactly(book);
        }
    }

    @Test
    void simulatedExchangeRunsOnItsTimerUntilClosed() {
        List<Message<MarketData>> received = receive("market.book.FUTURE");
        MarketFeed feed = new DirectMarketFeed(hub);
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        SimulatedExchange exchange = new SimulatedExchange(new ExchangeSimulator(1), Duration.ofMillis(5), feed, time);
        try {
            exchange.start();
            time.advanceTimeBy(Duration.ofMillis(4));
            assertThat(received).isEmpty(); // the first step comes after one interval
            time.advanceTimeBy(Duration.ofMillis(11));
            assertThat(received).extracting(m -> m.payload().sequence()).containsExactly(1L, 2L, 3L);
            exchange.close();
            long afterClose = feed.written();
            time.advanceTimeBy(Duration.ofMillis(50)); // ten periods: nothing more may arrive
            assertThat(feed.written()).isEqualTo(afterClose);
            assertThatThrownBy(exchange::start).isInstanceOf(IllegalStateException.class);
        } finally {
            exchange.close();
            time.dispose();
        }
    }
}
