package io.github.reactivepubsub.tcp.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.Overflow;
import io.github.reactivepubsub.codec.Codec;
import io.github.reactivepubsub.codec.Codecs;
import io.github.reactivepubsub.session.Await;
import io.github.reactivepubsub.session.Closer;
import io.github.reactivepubsub.tcp.wire.CreditFrame;
import io.github.reactivepubsub.tcp.wire.DroppedFrame;
import io.github.reactivepubsub.tcp.wire.Frame;
import io.github.reactivepubsub.tcp.wire.FramePayloads;
import io.github.reactivepubsub.tcp.wire.MessageFrame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.util.RaceTestUtils;

/**
 * How a remote subscription's buffer on the broker reports its drops (DROPPED frames, protocol version 2), frame by
 * frame, with the report task run by hand: a flood of drops is one frame, every frame sits at the place of its gap
 * in the stream, and without drops nothing is scheduled; then with real threads racing publishes, credit, demand and
 * report tasks, every message is sent or counted once, at its place. The wire round trip is in
 * {@code RemoteHubDropsTest}.
 */
class BrokerSubscriptionDropsTest {

    private static final Key KEY = Key.parse("d.k");

    @RegisterExtension
    final Closer closer = new Closer();
    private final Hub hub = closer.add(Hub.create(), Hub::close);
    private final List<Runnable> tasks = new ArrayList<>();
    private final Scheduler byHand = closer.add(Schedulers.fromExecutor(tasks::add), Scheduler::dispose);
    private final List<String> frames = new ArrayList<>();

    @SuppressWarnings("unchecked")
    private static BrokerSubscription subscription(int bufferSize, Overflow overflow, boolean version2,
            Scheduler reports) {
        return new BrokerSubscription(1, KEY, bufferSize, 1 << 20, overflow, (Codec<Object>) (Codec<?>) Codecs.utf8(),
                new ByteBudget("test", 1 << 20, null), version2, reports, () -> { });
    }

    private BrokerSubscription subscription(Overflow overflow, boolean version2) {
        BrokerSubscription s = subscription(4, overflow, version2, byHand);
        s.start(hub);
        s.subscribe(new AskingMerge(frame -> frames.add(describe(frame)), () -> { }));
        return s;
    }

    private static String describe(Frame frame) {
        if (frame instanceof MessageFrame m) {
            return FramePayloads.utf8(m.payload());
        }
        return frame instanceof DroppedFrame d ? "dropped " + d.count() : frame.toString();
    }

    private void publish(int from, int to) {
        for (int i = from; i < to; i++) {
            hub.publish(KEY, "m" + i);
        }
    }

    private List<String> runTasks() {
        List<Runnable> due = new ArrayList<>(tasks);
        tasks.clear();
        due.forEach(Runnable::run);
        return frames;
    }

    @Test
    void aFloodOfDropOldestDropsWhileTheClientHasNoCreditIsOneFrameAtTheHead() {
        BrokerSubscription s = subscription(Overflow.DROP_OLDEST, true);
        publish(0, 10_000);
        assertThat(frames).as("nothing before the report task ran").isEmpty();
        assertThat(tasks).as("one report task for all the drops").hasSize(1);
        assertThat(runTasks()).containsExactly("dropped 9996");
        assertThat(s.dropped()).isEqualTo(9_996);

        publish(10_000, 10_003); // a new gap at the head, in front of m9996..m9999
        assertThat(tasks).hasSize(1);
        frames.clear();
        s.grant(4); // the gap goes right before the message after it, without waiting for the task
        assertThat(frames).containsExactly("dropped 3", "m9999", "m10000", "m10001", "m10002");
        assertThat(runTasks()).as("the task found nothing left").hasSize(5);
        assertThat(s.dropped()).isEqualTo(9_999);
    }

    @Test
    void aDropLatestGapIsReportedAfterTheMessagesBeforeIt() {
        BrokerSubscription s = subscription(Overflow.DROP_LATEST, true);
        publish(0, 10);
        assertThat(tasks).as("the gap is behind 4 waiting messages: nothing to report yet").isEmpty();
        s.grant(2);
        assertThat(frames).containsExactly("m0", "m1");
        assertThat(tasks).isEmpty();
        s.grant(2);
        assertThat(frames).containsExactly("m0", "m1", "m2", "m3");
        assertThat(tasks).as("the gap is first now, and no message can follow it").hasSize(1);
        publish(10, 11); // joins behind the gap
        assertThat(runTasks()).containsExactly("m0", "m1", "m2", "m3", "dropped 6");
        s.grant(1);
        assertThat(frames).containsExactly("m0", "m1", "m2", "m3", "dropped 6", "m10");
        assertThat(s.dropped()).isEqualTo(6);
    }

    @Test
    void aGapBetweenMessagesGoesWithTheMessageAfterIt() {
        BrokerSubscription s = subscription(Overflow.DROP_LATEST, true);
        s.grant(1);
        publish(20, 26); // m20 goes at once; m21..m24 wait; m25 is dropped behind them
        assertThat(frames).containsExactly("m20");
        s.grant(5); // m21..m24; then the gap is first, with credit left but nothing after it
        assertThat(frames).containsExactly("m20", "m21", "m22", "m23", "m24");
        assertThat(tasks).hasSize(1);
        publish(26, 27); // a message follows the gap: both go at once
        assertThat(frames).containsExactly("m20", "m21", "m22", "m23", "m24", "dropped 1", "m26");
        assertThat(runTasks()).as("the task found nothing left").hasSize(7);
    }

    @Test
    void whenTheHubEndsTheSubscriptionItsGapsGoInOrderBeforeTheEndWithoutWaitingForTheTask() {
        BrokerSubscription oldest = subscription(Overflow.DROP_OLDEST, true);
        publish(0, 10); // dropped m0..m5 at the head, m6..m9 wait
        hub.close();
        assertThat(frames).as("the gap needs no credit nor task once the subscription ended")
                .containsExactly("dropped 6");
        oldest.grant(4);
        assertThat(frames).hasSize(6).startsWith("dropped 6", "m6", "m7", "m8", "m9");
        assertThat(frames.get(5)).startsWith("SubscriptionEndFrame[id=1, reason=COMPLETED");
        assertThat(runTasks()).as("the task found nothing left").hasSize(6);
    }

    @Test
    void whenTheHubEndsTheSubscriptionATrailingDropLatestGapGoesAfterTheMessagesBeforeIt() {
        BrokerSubscription latest = subscription(Overflow.DROP_LATEST, true);
        publish(0, 10); // m0..m3 wait, m4..m9 dropped behind them
        hub.close();
        assertThat(frames).isEmpty();
        latest.grant(4);
        assertThat(frames).hasSize(6).startsWith("m0", "m1", "m2", "m3", "dropped 6");
        assertThat(frames.get(5)).startsWith("SubscriptionEndFrame[id=1, reason=COMPLETED");
        assertThat(tasks).isEmpty();
    }

    @Test
    void withoutDropsNothingIsScheduledAndAVersion1ConnectionGetsNoReports() {
        BrokerSubscription fast = subscription(Overflow.DROP_OLDEST, true);
        fast.grant(1_000);
        publish(0, 100);
        assertThat(frames).hasSize(100).allMatch(f -> f.startsWith("m"));
        assertThat(tasks).isEmpty();
        fast.unsubscribe();

        frames.clear();
        BrokerSubscription v1 = subscription(Overflow.DROP_OLDEST, false);
        publish(0, 10);
        v1.grant(10);
        assertThat(tasks).isEmpty();
        assertThat(frames).containsExactly("m6", "m7", "m8", "m9");
        assertThat(v1.dropped()).isEqualTo(6);
    }

    @ParameterizedTest
    @EnumSource(value = Overflow.class, names = {"DROP_OLDEST", "DROP_LATEST"})
    void racingPublishesCreditDemandAndReportsSendEachMessageOrCountItOnceAtItsPlace(Overflow overflow) {
        int published = 50_000;
        Scheduler reports = closer.add(Schedulers.newSingle("drop-reports"), Scheduler::dispose);
        StreamCheck stream = new StreamCheck();
        BrokerSubscription s = subscription(8, overflow, true, reports);
        s.start(hub);
        s.subscribe(stream);
        AtomicBoolean publishing = new AtomicBoolean(true);
        RaceTestUtils.race(() -> { // the hub's publishing thread
            publish(0, published);
            publishing.set(false);
        }, () -> { // the connection: credit as the client consumes, demand as the socket takes frames
            ThreadLocalRandom random = ThreadLocalRandom.current();
            long granted = 0;
            long requested = 0;
            while (publishing.get()) {
                if (stream.messages() >= granted) {
                    int more = random.nextInt(1, 17);
                    granted += more;
                    s.grant(more);
                }
                if (stream.frames() >= requested) {
                    int more = random.nextInt(1, 17);
                    requested += more;
                    stream.request(more);
                }
                Thread.onSpinWait();
            }
        });
        s.grant(CreditFrame.UNBOUNDED);
        stream.request(Long.MAX_VALUE);
        Await.until(Duration.ofSeconds(10), () -> stream.next() >= published,
                () -> "every message sent or reported: " + stream);

        assertThat(stream.violation()).as("the stream, drops counted at their place").isNull();
        assertThat(stream.next()).isEqualTo(published);
        assertThat(stream.reported()).as("reported drops").isPositive().isEqualTo(s.dropped());
    }

    /**
     * The connection's merge, checking the stream as it comes: message {@code m<i>} must be the next number, a
     * DROPPED of {@code n} skips {@code n} numbers. Signals come under the subscription's monitor, from any thread.
     */
    private static final class StreamCheck extends BaseSubscriber<Frame> {

        private long next;
        private long messages;
        private long frames;
        private long reported;
        private String violation;

        @Override
        protected void hookOnSubscribe(Subscription subscription) {
            // demand comes from the test
        }

        @Override
        protected synchronized void hookOnNext(Frame frame) {
            frames++;
            if (frame instanceof DroppedFrame d) {
                next += d.count();
                reported += d.count();
            } else if (frame instanceof MessageFrame m) {
                String payload = FramePayloads.utf8(m.payload());
                if (violation == null && !payload.equals("m" + next)) {
                    violation = "expected m" + next + " after " + frames + " frames, got " + payload;
                }
                next++;
                messages++;
            } else if (violation == null) {
                violation = "unexpected " + frame;
            }
        }

        synchronized long next() {
            return next;
        }

        synchronized long messages() {
            return messages;
        }

        synchronized long frames() {
            return frames;
        }

        synchronized long reported() {
            return reported;
        }

        synchronized String violation() {
            return violation;
        }

        @Override
        public synchronized String toString() {
            return "next " + next + ", messages " + messages + ", reported " + reported + ", frames " + frames;
        }
    }
}
