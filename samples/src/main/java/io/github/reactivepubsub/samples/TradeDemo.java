package io.github.reactivepubsub.samples;

import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.HubEvent;
import io.github.reactivepubsub.HubPublisher;
import io.github.reactivepubsub.Key;
import java.math.BigDecimal;
import reactor.core.Disposable;

/**
 * aiopubsub's trade example on the hub: NASDAQ and NYSE publishers, a {@code *.trade.*} subscriber and an
 * {@code NYSE.trade.*} subscriber, plus a listener of the hub's meta messages. Prints what each receives.
 *
 * <p>Run: {@code mvn -B -q -pl samples -am compile exec:java}
 */
public final class TradeDemo {

    /** A trade on an exchange. */
    public record Trade(double timestamp, int quantity, BigDecimal price) {
    }

    private TradeDemo() {
    }

    /**
     * Runs the demo.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        try (Hub hub = Hub.create()) {
            Disposable meta = hub.<HubEvent>subscribe(Key.parse("Hub.*.**"))
                    .subscribe(m -> System.out.println("[meta]       " + m.key() + " -> " + m.payload()));

            Trade trade = new Trade(123.5, 56, new BigDecimal("1639.43"));

            // a subscriber of every trade on every exchange
            Disposable onTrade = hub.<Trade>subscribe(Key.parse("*.trade.*")).subscribe(m ->
                    System.out.println("[*.trade.*]  Processing trade = " + m.payload() + " with key = " + m.key()));

            HubPublisher nasdaq = hub.publisher(Key.of("NASDAQ"));
            System.out.println("NASDAQ publishes trade.GOOGL: " + nasdaq.publish(Key.of("trade", "GOOGL"), trade));

            // a subscriber of NYSE trades only: overlaps with *.trade.*, so NYSE trades are delivered twice
            Disposable onNyseTrade = hub.<Trade>subscribe(Key.parse("NYSE.trade.*")).subscribe(m ->
                    System.out.println("[NYSE.trade.*] Processing trade = " + m.payload() + " with key = " + m.key()
                            + " that happened in NYSE"));

            HubPublisher nyse = hub.publisher(Key.of("NYSE"));
            System.out.println("NYSE publishes trade.IBM: " + nyse.publish(Key.of("trade", "IBM"), trade));

            onTrade.dispose();
            onNyseTrade.dispose();
            meta.dispose();
            System.out.println("active topics after clean-up: " + hub.topics(Key.parse("**")));
        }
    }
}
