package io.github.reactivepubsub.tcp.broker;

import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.HubEvent;
import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.Message;
import io.github.reactivepubsub.OverflowException;
import io.github.reactivepubsub.SubscribeOptions;
import io.github.reactivepubsub.codec.Codec;
import io.github.reactivepubsub.tcp.wire.CreditFrame;
import io.github.reactivepubsub.tcp.wire.Frame;
import io.github.reactivepubsub.tcp.wire.MessageFrame;
import io.github.reactivepubsub.tcp.wire.SubscriptionEndFrame;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;

/**
 * One remote subscription on the server: a subscriber of the server's hub that is also the source of that
 * subscription's MESSAGE frames for the connection's outbound merge.
 *
 * <p><b>Credit.</b> It requests from the hub only {@code min(credit, demand) - requested}: credit is what the client
 * granted (CREDIT frames, its subscriber's demand), demand is what the connection's outbound merge asked for (it
 * asks only as the socket takes bytes). Whatever the hub publishes beyond that waits in the hub's bounded buffer for
 * this subscriber ({@code bufferSize} messages), where the subscription's overflow policy applies. So a client that
 * stops requesting, or a connection that stops writing, costs the server at most {@code bufferSize} messages plus
 * the merge's prefetch, and never slows the publishers or other subscriptions.
 *
 * <p><b>End.</b> When the hub ends the subscription (its close, an overflow under ERROR, an encoding failure) a
 * SUBSCRIPTION_END frame is emitted after the last MESSAGE, then the source completes; when the client unsubscribes
 * or the connection ends, the hub subscription is cancelled.
 *
 * <p>Threading: hub signals come from publishing threads, credit from the connection's inbound thread, demand and
 * cancellation from the outbound merge; all state is guarded by this object's monitor, held only for counters and
 * for handing a frame to the merge (which never blocks).
 */
final class BrokerSubscription extends Flux<Frame> implements CoreSubscriber<Message<Object>>, Subscription {

    private final int id;
    private final Key pattern;
    private final int bufferSize;
    private final Codec<Object> codec;
    private final Runnable onTerminated;

    private @Nullable Subscription upstream;
    private @Nullable CoreSubscriber<? super Frame> actual;
    private long credit;
    private long demand;
    private long requested;
    private long emitted;
    private @Nullable Frame pendingEnd;
    /** The hub subscription ended or was cancelled: nothing more is requested. */
    private boolean terminal;
    /** The merge was completed or cancelled: nothing more is emitted. */
    private boolean finished;

    BrokerSubscription(int id, Key pattern, int bufferSize, Codec<Object> codec, Runnable onTerminated) {
        this.id = id;
        this.pattern = pattern;
        this.bufferSize = bufferSize;
        this.codec = codec;
        this.onTerminated = onTerminated;
    }

    /** Subscribes to the hub now, so that later frames of the connection (publishes) see the subscription. */
    void start(Hub hub, SubscribeOptions options) {
        hub.<Object>subscribe(pattern, options).subscribe(this);
    }

    int id() {
        return id;
    }

    /** Adds credit granted by the client; {@link CreditFrame#UNBOUNDED} lifts the limit. */
    void grant(long more) {
        long r;
        Subscription s;
        synchronized (this) {
            credit = more == CreditFrame.UNBOUNDED ? Long.MAX_VALUE : Operators.addCap(credit, more);
            r = toRequest();
            s = upstream;
        }
        if (r > 0 && s != null) {
            s.request(r);
        }
    }

    /** The client unsubscribed: cancel the hub subscription and complete this source without an END frame. */
    void unsubscribe() {
        Subscription s;
        synchronized (this) {
            s = upstream;
            upstream = null;
        }
        if (s != null) {
            s.cancel();
        }
        end(null);
    }

    @Override
    public void subscribe(CoreSubscriber<? super Frame> subscriber) {
        synchronized (this) {
            actual = subscriber;
        }
        subscriber.onSubscribe(this);
        synchronized (this) {
            tryFinish();
        }
    }

    @Override
    public void onSubscribe(Subscription s) {
        long r;
        synchronized (this) {
            if (terminal) {
                r = -1;
            } else {
                upstream = s;
                r = toRequest();
            }
        }
        if (r < 0) {
            s.cancel();
        } else if (r > 0) {
            s.request(r);
        }
    }

    @Override
    public void onNext(Message<Object> message) {
        if (message.payload() instanceof HubEvent) {
            // the hub's meta messages (Hub.addedSubscriber.<topic>): clients get them as EVENT frames instead.
            // Not counted as emitted: ask the hub for one more in its place, so the client's credit is unchanged.
            Subscription s;
            synchronized (this) {
                s = upstream;
            }
            if (s != null) {
                s.request(1);
            }
            return;
        }
        Frame frame = new MessageFrame(id, message.key(), codec.encode(message.payload()));
        synchronized (this) {
            if (finished || actual == null) {
                return;
            }
            emitted++;
            actual.onNext(frame);
        }
    }

    @Override
    public void onError(Throwable error) {
        SubscriptionEndFrame.Reason reason = error instanceof OverflowException
                ? SubscriptionEndFrame.Reason.OVERFLOW : SubscriptionEndFrame.Reason.FAILED;
        String detail = error instanceof OverflowException
                ? "subscriber of '" + pattern + "' overflowed its buffer of " + bufferSize + " messages on the broker"
                : "subscription of '" + pattern + "' failed on the broker: " + error;
        end(new SubscriptionEndFrame(id, reason, detail));
    }

    @Override
    public void onComplete() {
        end(new SubscriptionEndFrame(id, SubscriptionEndFrame.Reason.COMPLETED, "the broker's hub closed"));
    }

    /** Demand of the outbound merge. */
    @Override
    public void request(long n) {
        long r;
        Subscription s;
        synchronized (this) {
            demand = Operators.addCap(demand, n);
            tryFinish();
            r = toRequest();
            s = upstream;
        }
        if (r > 0 && s != null) {
            s.request(r);
        }
    }

    /** The outbound merge ended (the connection closed). */
    @Override
    public void cancel() {
        Subscription s;
        synchronized (this) {
            terminal = true;
            finished = true;
            s = upstream;
            upstream = null;
        }
        if (s != null) {
            s.cancel();
        }
        onTerminated.run();
    }

    private void end(@Nullable Frame endFrame) {
        synchronized (this) {
            if (terminal) {
                return;
            }
            terminal = true;
            upstream = null;
            pendingEnd = endFrame;
            tryFinish();
        }
        onTerminated.run();
    }

    /** Under the monitor: emits the END frame (when there is demand for it) and completes, once terminal. */
    private void tryFinish() {
        CoreSubscriber<? super Frame> a = actual;
        if (!terminal || finished || a == null) {
            return;
        }
        Frame end = pendingEnd;
        if (end != null) {
            if (demand <= emitted) {
                return; // the merge asks for more once it took what was emitted
            }
            pendingEnd = null;
            emitted++;
            a.onNext(end);
        }
        finished = true;
        a.onComplete();
    }

    /** Under the monitor: how much more to request from the hub. */
    private long toRequest() {
        if (terminal) {
            return 0;
        }
        long allowed = Math.min(credit, demand);
        long r = allowed - requested;
        if (r <= 0) {
            return 0;
        }
        requested = allowed;
        return r;
    }

    @Override
    public String toString() {
        return "BrokerSubscription[" + id + ", " + pattern + "]";
    }
}
