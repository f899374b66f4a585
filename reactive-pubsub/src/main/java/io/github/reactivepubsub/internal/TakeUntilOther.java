package io.github.reactivepubsub.internal;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Scannable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxOperator;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * {@link Flux#takeUntilOther} for a stream on a per-message hot path: the main items pass with one compare-and-set and
 * one decrement, where Reactor's operator serializes every item through two monitor holds (its
 * {@code SerializedSubscriber}), because the other side may end the stream at any moment.
 *
 * <p>The same contract: the main source's items are relayed until {@code other} signals; its first item or its
 * completion completes the stream, its error fails it; both cancel the main source. The main source's own terminal
 * signal cancels {@code other}. Requests and cancellation go straight to the main source. An item racing the other
 * side's end is either relayed before the terminal signal or discarded ({@link Operators#onDiscard}), never after it.
 *
 * <p>Threading: the main source's signals on its thread, the other's on its own; the subscriber is signalled by one of
 * them at a time (the work-in-progress counter {@code wip}: 0 idle, 1 relaying an item, more: the other side ended
 * meanwhile and the relaying thread ends the stream). Internal: public only so that the library's modules share it;
 * not API.
 *
 * @param <T> the item type
 */
public final class TakeUntilOther<T> extends FluxOperator<T, T> {

    private final Publisher<?> other;

    private TakeUntilOther(Flux<? extends T> source, Publisher<?> other) {
        super(source);
        this.other = other;
    }

    /**
     * @param main the items
     * @param other whose first signal ends the stream
     * @param <T> the item type
     * @return {@code main} until {@code other} signals (see the class documentation)
     */
    public static <T> Flux<T> of(Flux<? extends T> main, Publisher<?> other) {
        return new TakeUntilOther<>(main, Objects.requireNonNull(other, "other"));
    }

    /**
     * As Reactor's operator: the subscriber first, then {@code other} (so that it watches before the first item),
     * then the main source (requests made meanwhile reach it once it subscribed).
     */
    @Override
    public void subscribe(CoreSubscriber<? super T> actual) {
        MainSubscriber<T> main = new MainSubscriber<>(actual);
        actual.onSubscribe(main);
        other.subscribe(main.other);
        source.subscribe(main);
    }

    static final class MainSubscriber<T> implements CoreSubscriber<T>, Subscription, Scannable {

        private final CoreSubscriber<? super T> actual;
        private final OtherSubscriber other = new OtherSubscriber(this);
        /** The main source's subscription once it arrives; requests and a cancel made before wait in it. */
        private final Operators.DeferredSubscription upstream = new Operators.DeferredSubscription();
        private volatile int wip;
        @SuppressWarnings("rawtypes")
        private static final AtomicIntegerFieldUpdater<MainSubscriber> WIP =
                AtomicIntegerFieldUpdater.newUpdater(MainSubscriber.class, "wip");
        /** Set before the other side takes {@code wip}: its end, null for a completion. */
        private volatile @Nullable Throwable otherError;
        private volatile boolean otherEnded;
        private volatile boolean cancelled;

        MainSubscriber(CoreSubscriber<? super T> actual) {
            this.actual = actual;
        }

        @Override
        public Context currentContext() {
            return actual.currentContext();
        }

        @Override
        public void onSubscribe(Subscription s) {
            upstream.set(s);
        }

        @Override
        public void onNext(T item) {
            if (wip != 0 || !WIP.compareAndSet(this, 0, 1)) {
                Operators.onDiscard(item, actual.currentContext()); // the stream is ending
                return;
            }
            actual.onNext(item);
            if (WIP.decrementAndGet(this) != 0) {
                endByOther(); // the other side ended while the item was relayed
            }
        }

        @Override
        public void onError(Throwable t) {
            if (WIP.getAndIncrement(this) != 0) {
                Operators.onErrorDropped(t, actual.currentContext());
                return;
            }
            other.cancel();
            actual.onError(t);
        }

        @Override
        public void onComplete() {
            if (WIP.getAndIncrement(this) != 0) {
                return;
            }
            other.cancel();
            actual.onComplete();
        }

        /** The other side signalled (its thread). */
        void otherEnded(@Nullable Throwable error) {
            if (otherEnded) {
                return;
            }
            otherError = error;
            otherEnded = true;
            if (WIP.getAndIncrement(this) == 0) {
                endByOther();
            }
        }

        /** Owner of {@code wip}, for good: cancels the main source and ends the stream as the other side said. */
        private void endByOther() {
            upstream.cancel();
            Throwable error = otherError;
            if (error != null) {
                actual.onError(error);
            } else {
                actual.onComplete();
            }
        }

        @Override
        public void request(long n) {
            upstream.request(n);
        }

        @Override
        public void cancel() {
            cancelled = true;
            other.cancel();
            upstream.cancel();
        }

        @Override
        public @Nullable Object scanUnsafe(Attr key) {
            if (key == Attr.PARENT) {
                return upstream;
            }
            if (key == Attr.ACTUAL) {
                return actual;
            }
            if (key == Attr.CANCELLED) {
                return cancelled;
            }
            if (key == Attr.TERMINATED) {
                return wip > 1 || otherEnded;
            }
            if (key == Attr.RUN_STYLE) {
                return Attr.RunStyle.SYNC;
            }
            return null;
        }
    }

    /** Subscribes the other side: its first signal of any kind ends the main stream. */
    static final class OtherSubscriber implements CoreSubscriber<Object> {

        private final MainSubscriber<?> main;
        private volatile @Nullable Subscription subscription;
        private static final AtomicReferenceFieldUpdater<OtherSubscriber, Subscription> SUBSCRIPTION =
                AtomicReferenceFieldUpdater.newUpdater(OtherSubscriber.class, Subscription.class, "subscription");

        OtherSubscriber(MainSubscriber<?> main) {
            this.main = main;
        }

        @Override
        public Context currentContext() {
            return main.currentContext();
        }

        @Override
        public void onSubscribe(Subscription s) {
            if (Operators.setOnce(SUBSCRIPTION, this, s)) {
                s.request(Long.MAX_VALUE);
            }
        }

        @Override
        public void onNext(Object value) {
            cancel();
            main.otherEnded(null);
        }

        @Override
        public void onError(Throwable t) {
            main.otherEnded(t);
        }

        @Override
        public void onComplete() {
            main.otherEnded(null);
        }

        void cancel() {
            Operators.terminate(SUBSCRIPTION, this);
        }
    }
}
