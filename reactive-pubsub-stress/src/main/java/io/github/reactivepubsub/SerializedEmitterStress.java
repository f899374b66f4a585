package io.github.reactivepubsub;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * {@link SerializedEmitter} under two concurrent producers, each emitting two elements (1, 2 and 3, 4), both
 * through {@code emit} and through {@code enqueue} + {@code drain}. Once both producers returned, every element was
 * emitted exactly once (nothing left in the queue), never two at a time, and each producer's elements in its order.
 *
 * <p>Result: (elements emitted, overlapping emissions, 1 when each producer's order held).
 */
public final class SerializedEmitterStress {

    private SerializedEmitterStress() {
    }

    /** Records emissions; counts any emission that starts while another is running. */
    static class Recorder extends SerializedEmitter<Integer> {
        private final Overlaps overlaps = new Overlaps();
        private final int[] emitted = new int[8];
        private int count;

        @Override
        void emitSerialized(Integer element) {
            overlaps.enter();
            if (count < emitted.length) {
                emitted[count] = element;
            }
            count++;
            overlaps.exit();
        }

        void result(III_Result r) {
            r.r1 = count;
            r.r2 = overlaps.count();
            r.r3 = before(1, 2) && before(3, 4) ? 1 : 0;
        }

        private boolean before(int first, int second) {
            int a = -1;
            int b = -1;
            for (int i = 0; i < Math.min(count, emitted.length); i++) {
                if (emitted[i] == first) {
                    a = i;
                } else if (emitted[i] == second) {
                    b = i;
                }
            }
            return a >= 0 && b > a;
        }
    }

    @JCStressTest
    @Description("Two producers emit concurrently: all four elements out, one at a time, each producer in order.")
    @Outcome(id = "4, 0, 1", expect = Expect.ACCEPTABLE, desc = "every element emitted once, serialized, in order")
    @Outcome(expect = Expect.FORBIDDEN, desc = "an element lost or repeated, an overlap, or a producer reordered")
    @State
    public static class Emit extends Recorder {
        @Actor
        public void producer1() {
            emit(1);
            emit(2);
        }

        @Actor
        public void producer2() {
            emit(3);
            emit(4);
        }

        @Arbiter
        public void arbiter(III_Result r) {
            result(r);
        }
    }

    @JCStressTest
    @Description("One producer emits while the other enqueues and drains: nothing is left behind.")
    @Outcome(id = "4, 0, 1", expect = Expect.ACCEPTABLE, desc = "every element emitted once, serialized, in order")
    @Outcome(expect = Expect.FORBIDDEN, desc = "an element lost or repeated, an overlap, or a producer reordered")
    @State
    public static class EnqueueAndDrain extends Recorder {
        @Actor
        public void producer1() {
            emit(1);
            emit(2);
        }

        @Actor
        public void producer2() {
            enqueue(3);
            enqueue(4);
            drain();
        }

        @Arbiter
        public void arbiter(III_Result r) {
            result(r);
        }
    }
}
