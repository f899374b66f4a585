package io.github.reactivepubsub.tcp.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.Overflow;
import io.github.reactivepubsub.codec.Codec;
import io.github.reactivepubsub.codec.Codecs;
import io.github.reactivepubsub.session.Closer;
import io.github.reactivepubsub.tcp.wire.FramePayloads;
import io.github.reactivepubsub.tcp.wire.MessageFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.scheduler.Schedulers;

/**
 * How a remote subscription's source on the broker ends: after its waiting messages when the hub ends it, at once
 * when the client unsubscribes, whether or not the hub ended it first. Driven frame by frame, on the test thread
 * (the hub delivers on the publishing thread).
 */
class BrokerSubscriptionEndTest {

    private static final Key KEY = Key.parse("e.k");

    @RegisterExtension
    final Closer closer = new Closer();
    private final Hub hub = closer.add(Hub.create(), Hub::close);
    private final ByteBudget budget = new ByteBudget("connection", 1 << 20, null);
    private final AtomicInteger terminated = new AtomicInteger();
    private final List<String> frames = new ArrayList<>();

    @SuppressWarnings("unchecked")
    private BrokerSubscription subscription() {
        BrokerSubscription s = new BrokerSubscription(1, KEY, 16, 1 << 20, Overflow.ERROR,
                (Codec<Object>) (Codec<?>) Codecs.utf8(), budget, true, Schedulers.immediate(),
                terminated::incrementAndGet);
        s.start(hub);
        s.subscribe(new AskingMerge(frame -> frames.add(frame instanceof MessageFrame m
                ? FramePayloads.utf8(m.payload()) : frame.toString()), () -> frames.add("completed")));
        return s;
    }

    @Test
    void whenTheHubEndsItTheEndFrameWaitsForTheCreditOfTheMessagesBeforeIt() {
        BrokerSubscription s = subscription();
        hub.publish(KEY, "m1");
        hub.publish(KEY, "m2");
        hub.close();
        assertThat(frames).as("no credit yet").isEmpty();
        assertThat(terminated).hasValue(0);

        s.grant(2);

        assertThat(frames).hasSize(4);
        assertThat(frames.subList(0, 2)).containsExactly("m1", "m2");
        assertThat(frames.get(2)).contains("COMPLETED");
        assertThat(frames.get(3)).isEqualTo("completed");
        assertThat(terminated).hasValue(1);
    }

    @Test
    void anUnsubscribeCompletesAtOnceWithoutAnEndFrameAndReturnsTheBytesOfWhatWaited() {
        BrokerSubscription s = subscription();
        hub.publish(KEY, "m1");
        assertThat(budget.used()).isPositive();

        s.unsubscribe();

        assertThat(frames).containsExactly("completed");
        assertThat(terminated).hasValue(1);
        assertThat(budget.used()).isZero();
        assertThat(hub.subscriberCount(KEY)).isZero();
    }

    /**
     * The hub ended the subscription while messages waited for credit; the client then unsubscribes (its UNSUBSCRIBE
     * crossed the END frame it has not received yet). It will never grant credit for them: the source must not wait
     * for it, or it would hold its bytes, and its place in the connection's merge, until the connection closes.
     */
    @Test
    void anUnsubscribeAfterTheHubEndedItDropsWhatWaitsForCreditAndCompletes() {
        BrokerSubscription s = subscription();
        hub.publish(KEY, "m1");
        hub.close();
        assertThat(frames).isEmpty();

        s.unsubscribe();

        assertThat(frames).containsExactly("completed");
        assertThat(terminated).hasValue(1);
        assertThat(budget.used()).isZero();
        s.grant(1);
        assertThat(frames).as("nothing after the end").containsExactly("completed");
    }
}
