package io.github.reactivepubsub;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;

/**
 * {@link BoundedBufferSubscriber}: the source's {@code onNext} (with its fast path that delivers without taking
 * {@code wip} once demand is unbounded) racing the subscriber's {@code request}. Once both returned, the subscriber got
 * exactly the elements, in order, never two signals at a time, and the terminal signal once, after them.
 *
 * <p>Result: (elements delivered, overlapping signals, 1 when in order, completions).
 */
public final class BoundedBufferStress {

    private static final SubscribeOptions OPTIONS = SubscribeOptions.defaults().bufferSize(16);

    private BoundedBufferStress() {
    }

    /** The downstream subscriber: records what it receives; requests nothing by itself. */
    static final class Downstream implements CoreSubscriber<Integer> {
        private final Overlaps overlaps = new Overlaps();
        private final int[] received = new int[8];
        private int count;
        private int completions;

        @Override
        public void onSubscribe(Subscription s) {
        }

        @Override
        public void onNext(Integer value) {
            overlaps.enter();
            if (count < received.length) {
                received[count] = value;
            }
            count++;
            overlaps.exit();
        }

        @Override
        public void onError(Throwable t) {
            overlaps.enter();
            completions += 100; // an error is never expected here
            overlaps.exit();
        }

        @Override
        public void onComplete() {
            overlaps.enter();
            completions++;
            overlaps.exit();
        }

        void result(IIII_Result r) {
            r.r1 = count;
            r.r2 = overlaps.count();
            boolean ordered = true;
            for (int i = 0; i < Math.min(count, received.length); i++) {
                ordered &= received[i] == i + 1;
            }
            r.r3 = ordered ? 1 : 0;
            r.r4 = completions;
        }
    }

    /** A subscriber wired to a no-op upstream, with the downstream's demand still zero. */
    static class Wired {
        final Downstream downstream = new Downstream();
        final BoundedBufferSubscriber<Integer> buffer =
                new BoundedBufferSubscriber<>(downstream, "stress", OPTIONS, null);

        Wired() {
            buffer.onSubscribe(new Subscription() {
                @Override
                public void request(long n) {
                }

                @Override
                public void cancel() {
                }
            });
        }
    }

    @JCStressTest
    @Description("Two elements arrive while the subscriber requests unbounded demand (the fast path's race).")
    @Outcome(id = "2, 0, 1, 0", expect = Expect.ACCEPTABLE, desc = "both delivered, in order, serialized")
    @Outcome(expect = Expect.FORBIDDEN, desc = "lost, repeated, reordered or concurrent delivery")
    @State
    public static class UnboundedRequest extends Wired {
        @Actor
        public void source() {
            buffer.onNext(1);
            buffer.onNext(2);
        }

        @Actor
        public void subscriber() {
            buffer.request(Long.MAX_VALUE);
        }

        @Arbiter
        public void arbiter(IIII_Result r) {
            downstream.result(r);
        }
    }

    @JCStressTest
    @Description("Two elements arrive while the subscriber requests them one at a time (the bounded path).")
    @Outcome(id = "2, 0, 1, 0", expect = Expect.ACCEPTABLE, desc = "both delivered, in order, serialized")
    @Outcome(expect = Expect.FORBIDDEN, desc = "lost, repeated, reordered or concurrent delivery")
    @State
    public static class BoundedRequests extends Wired {
        @Actor
        public void source() {
            buffer.onNext(1);
            buffer.onNext(2);
        }

        @Actor
        public void subscriber() {
            buffer.request(1);
            buffer.request(1);
        }

        @Arbiter
        public void arbiter(IIII_Result r) {
            downstream.result(r);
        }
    }

    @JCStressTest
    @Description("An element and the completion arrive while the subscriber requests unbounded demand.")
    @Outcome(id = "1, 0, 1, 1", expect = Expect.ACCEPTABLE, desc = "the element, then one completion")
    @Outcome(expect = Expect.FORBIDDEN, desc = "lost element, completion before it, repeated or concurrent")
    @State
    public static class CompletionRace extends Wired {
        @Actor
        public void source() {
            buffer.onNext(1);
            buffer.onComplete();
        }

        @Actor
        public void subscriber() {
            buffer.request(Long.MAX_VALUE);
        }

        @Arbiter
        public void arbiter(IIII_Result r) {
            downstream.result(r);
        }
    }
}
