package io.github.reactivepubsub;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

/** aiopubsub's documented trade example, delivery for delivery, with its addedSubscriber / removedSubscriber meta messages. */
class TradeExampleTest {

    record Trade(double timestamp, int quantity, BigDecimal price) {
    }

    @Test
    void tradeExampleDeliversExactlyWhatAiopubsubDocuments() {
        try (Hub hub = Hub.create()) {
            Trade trade = new Trade(123.5, 56, new BigDecimal("1639.43"));
            List<String> printed = new CopyOnWriteArrayList<>();
            List<Message<HubEvent>> meta = new CopyOnWriteArrayList<>();

            Disposable added = hub.<HubEvent>subscribe(Hub.ADDED_SUBSCRIBER.concat(Key.ANY_DEPTH)).subscribe(meta::add);
            Disposable removed = hub.<HubEvent>subscribe(Hub.REMOVED_SUBSCRIBER.concat(Key.ANY_DEPTH)).subscribe(meta::add);

            // subscriber listens on every trade
            Disposable onTrade = hub.<Trade>subscribe(Key.parse("*.trade.*"))
                    .subscribe(m -> printed.add("Processing trade = " + m.payload() + " with key = " + m.key() + "."));

            // publisher with a NASDAQ prefix sends the Google trade
            HubPublisher nasdaq = hub.publisher(Key.of("NASDAQ"));
            assertThat(nasdaq.publish(Key.of("trade", "GOOGL"), trade)).isEqualTo(PublishResult.delivered(1));
            assertThat(printed).containsExactly("Processing trade = " + trade + " with key = NASDAQ.trade.GOOGL.");

            // subscribe only for the NYSE exchange: overlaps with *.trade.*
            Disposable onNyseTrade = hub.<Trade>subscribe(Key.parse("NYSE.trade.*"))
                    .subscribe(m -> printed.add("Processing trade = " + m.payload() + " with key = " + m.key()
                            + " that happened in NYSE"));

            HubPublisher nyse = hub.publisher(Key.of("NYSE"));
            assertThat(nyse.publish(Key.of("trade", "IBM"), trade)).isEqualTo(PublishResult.delivered(2));
            assertThat(printed).containsExactlyInAnyOrder(
                    "Processing trade = " + trade + " with key = NASDAQ.trade.GOOGL.",
                    "Processing trade = " + trade + " with key = NYSE.trade.IBM.",
                    "Processing trade = " + trade + " with key = NYSE.trade.IBM that happened in NYSE");

            // clean up: remove all listeners
            onTrade.dispose();
            onNyseTrade.dispose();
            assertThat(hub.topics(Key.parse("**"))).extracting(Key::toString)
                    .containsExactly("Hub.addedSubscriber.**", "Hub.removedSubscriber.**");

            assertThat(meta).extracting(m -> m.key().toString()).containsExactly(
                    "Hub.addedSubscriber.Hub.addedSubscriber.**",
                    "Hub.addedSubscriber.Hub.removedSubscriber.**",
                    "Hub.addedSubscriber.*.trade.*",
                    "Hub.addedSubscriber.NYSE.trade.*",
                    "Hub.removedSubscriber.*.trade.*",
                    "Hub.removedSubscriber.NYSE.trade.*");
            assertThat(meta).extracting(Message::payload).containsExactly(
                    new HubEvent.Added(Key.parse("Hub.addedSubscriber.**"), 1),
                    new HubEvent.Added(Key.parse("Hub.removedSubscriber.**"), 1),
                    new HubEvent.Added(Key.parse("*.trade.*"), 1),
                    new HubEvent.Added(Key.parse("NYSE.trade.*"), 1),
                    new HubEvent.Removed(Key.parse("*.trade.*"), 0),
                    new HubEvent.Removed(Key.parse("NYSE.trade.*"), 0));
            added.dispose();
            removed.dispose();
            assertThat(hub.topics(Key.parse("**"))).isEmpty();
        }
    }

    @Test
    void secondSubscriberOfTheSameTopicIsCountedInItsMetaMessage() {
        try (Hub hub = Hub.create()) {
            List<HubEvent> events = new CopyOnWriteArrayList<>();
            hub.events().subscribe(events::add);
            Key ibm = Key.parse("NYSE.trade.IBM");
            Disposable a = hub.subscribe(ibm).subscribe();
            Disposable b = hub.subscribe(ibm).subscribe();
            assertThat(hub.subscriberCount(ibm)).isEqualTo(2);
            a.dispose();
            b.dispose();
            assertThat(events).containsExactly(
                    new HubEvent.Added(ibm, 1), new HubEvent.Added(ibm, 2),
                    new HubEvent.Removed(ibm, 1), new HubEvent.Removed(ibm, 0));
            assertThat(hub.subscriberCount(ibm)).isZero();
        }
    }
}
