package io.github.reactivepubsub.tcp.remote;

import io.github.reactivepubsub.DroppedMessages;
import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.Message;
import io.github.reactivepubsub.Overflow;
import io.github.reactivepubsub.OverflowException;
import io.github.reactivepubsub.SubscribeOptions;
import io.github.reactivepubsub.codec.Codec;
import io.github.reactivepubsub.tcp.wire.CreditFrame;
import io.github.reactivepubsub.tcp.wire.DroppedFrame;
import io.github.reactivepubsub.tcp.wire.MessageFrame;
import io.github.reactivepubsub.tcp.wire.PeerText;
import io.github.reactivepubsub.tcp.wire.SubscribeFrame;
import io.github.reactivepubsub.tcp.wire.SubscriptionEndFrame;
import io.github.reactivepubsub.tcp.wire.UnsubscribeFrame;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Exceptions;
import reactor.core.publisher.Operators;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * One subscriber of a {@link RemoteHub}: one remote subscription, re-sent once to every new connection.
 *
 * <p><b>Demand is credit.</b> {@code request(n)} sends CREDIT(n) on the current connection; on a new connection the
 * subscription is sent (SUBSCRIBE) with the demand not yet satisfied as its first credit. The broker sends no more
 * MESSAGE frames than the credit, so messages are handed to the subscriber as they arrive, without a buffer here.
 * Every {@code request(n)} costs one CREDIT frame at most, whatever {@code n} (Reactive Streams §3.17): a demand
 * that no longer fits one frame's credit ({@code n}, or the demand not yet satisfied, reaching 2^32 - 1) is sent as
 * unbounded credit, and the subscription stays unbounded from then on.
 *
 * <p><b>Drops.</b> The broker holds the subscriber's buffer and reports what it dropped (DROPPED frames, version 2)
 * in stream order: each report is counted in the hub's stats and told to the drop listener as one
 * {@link DroppedMessages}, outside our monitor; a listener that throws is logged and ignored.
 *
 * <p>Threading: MESSAGE, DROPPED and SUBSCRIPTION_END frames arrive on the connection's inbound thread; requests,
 * cancellation and the hub's close come from any thread. Every frame sent for this subscription and every decision
 * to signal is taken under this object's monitor, so credits are never counted twice; the signals themselves go to
 * the subscriber after the monitor is released (no subscriber code runs under a lock of ours), through a
 * serializer, so they never overlap (a message of a connection just replaced, a close from another thread).
 */
final class ClientSubscription implements Subscription {

    private static final Logger LOG = Loggers.getLogger(ClientSubscription.class);
    private final int id;
    private final Key pattern;
    private final SubscribeOptions options;
    private final Codec<Object> codec;
    /** The subscriber itself: only for the error after it threw (see onMessage). */
    private final CoreSubscriber<? super Message<Object>> subscriber;
    /** The subscriber behind a serializer: every other signal. */
    private final CoreSubscriber<? super Message<Object>> actual;
    private final RemoteHub hub;

    private long requested;
    private long delivered;
    private @Nullable ClientConnection connection;
    private boolean done;

    ClientSubscription(int id, Key pattern, SubscribeOptions options, Codec<Object> codec,
            CoreSubscriber<? super Message<Object>> actual, RemoteHub hub) {
        this.id = id;
        this.pattern = pattern;
        this.options = options;
        this.codec = codec;
        this.subscriber = actual;
        this.actual = Operators.serialize(actual);
        this.hub = hub;
    }

    int id() {
        return id;
    }

    /** Sends this subscription on a new connection, once, with the demand not yet satisfied as its credit. */
    void attach(ClientConnection c) {
        RemoteHubException refused = null;
        synchronized (this) {
            if (done || connection == c) {
                return;
            }
            int patternBytes = pattern.toString().getBytes(StandardCharsets.UTF_8).length;
            if (patternBytes > c.welcome().maxPatternLength()) {
                refused = new RemoteHubException(ErrorCode.PATTERN_TOO_LONG, "pattern '" + pattern + "' is "
                        + patternBytes + " bytes; broker " + c.name() + " allows at most "
                        + c.welcome().maxPatternLength());
            } else if (!c.reserveSubscription()) {
                refused = new RemoteHubException(ErrorCode.TOO_MANY_SUBSCRIPTIONS, "subscription to '" + pattern
                        + "' would exceed the " + c.welcome().maxSubscriptions() + " subscriptions per connection"
                        + " of broker " + c.name());
            } else {
                connection = c;
                c.send(new SubscribeFrame(id, options.bufferSize(), options.overflow(), pattern));
                // the unmet demand fits one frame: request() turns any that would not into unbounded demand
                sendCredit(c, requested == Long.MAX_VALUE ? CreditFrame.UNBOUNDED : requested - delivered);
            }
        }
        if (refused != null) {
            fail(refused);
        }
    }

    @Override
    public void request(long n) {
        if (!Operators.validate(n)) {
            return;
        }
        synchronized (this) {
            if (done || requested == Long.MAX_VALUE) {
                return;
            }
            long total = Operators.addCap(requested, n);
            boolean unbounded = total - delivered >= CreditFrame.UNBOUNDED;
            requested = unbounded ? Long.MAX_VALUE : total;
            ClientConnection c = connection;
            if (c != null) {
                sendCredit(c, unbounded ? CreditFrame.UNBOUNDED : n);
            }
        }
    }

    /** Under the monitor: one frame, {@code credit} at most {@link CreditFrame#UNBOUNDED}. */
    private void sendCredit(ClientConnection c, long credit) {
        if (credit > 0) {
            c.send(new CreditFrame(id, credit));
        }
    }

    @Override
    public void cancel() {
        ClientConnection c;
        synchronized (this) {
            if (done) {
                return;
            }
            done = true;
            c = connection;
            if (c != null) {
                c.releaseSubscription();
                c.send(new UnsubscribeFrame(id));
            }
        }
        hub.removed(this);
    }

    /** A MESSAGE frame, on the inbound thread of connection {@code c}. */
    void onMessage(ClientConnection c, MessageFrame frame) {
        Object payload;
        try {
            payload = codec.decode(frame.payload());
        } catch (RuntimeException e) {
            Exceptions.throwIfJvmFatal(e);
            cancel();
            // the codec's message may quote the broker's bytes: escaped, and the exception itself not kept as cause
            signalError(new IllegalArgumentException("payload of a message to '"
                    + PeerText.escape(frame.key().toString()) + "' for subscriber of '" + pattern
                    + "' cannot be decoded by the codec: " + e.getClass().getName() + ": "
                    + PeerText.escape(String.valueOf(e.getMessage()), 256)));
            return;
        }
        synchronized (this) {
            if (done || connection != c) {
                return;
            }
            if (delivered >= requested) {
                LOG.warn("broker {} sent a message to '{}' beyond the credit of subscriber of '{}'; dropped",
                        c.name(), PeerText.escape(frame.key().toString()), pattern);
                return;
            }
            delivered++;
            hub.delivered(pattern);
        }
        try {
            actual.onNext(new Message<>(frame.key(), payload));
        } catch (Throwable e) {
            // A subscriber that throws is cancelled alone: the connection and the other subscribers go on. It is told
            // directly: the serializer, left mid-emission by the throw, holds back everything after it for good.
            Exceptions.throwIfJvmFatal(e);
            LOG.error("subscriber of '{}' threw from onNext; cancelling that subscriber alone", pattern, e);
            cancel();
            try {
                subscriber.onError(e);
            } catch (Throwable again) {
                Exceptions.throwIfJvmFatal(again);
                LOG.error("subscriber of '{}' threw again from onError; ignored", pattern, again);
            }
        }
    }

    /**
     * A DROPPED frame, on the inbound thread of connection {@code c}: one count and one listener call, whatever the
     * count. Ignored when this subscription is not (or no longer) the broker's subscription of that id on {@code c}.
     *
     * @return false when the frame is a protocol violation: the subscription's policy (ERROR) never drops
     */
    boolean onDropped(ClientConnection c, DroppedFrame frame) {
        synchronized (this) {
            if (done || connection != c) {
                return true;
            }
        }
        Overflow policy = options.overflow();
        if (policy == Overflow.ERROR) {
            return false;
        }
        hub.dropped(pattern, policy, frame.count());
        tellDropped(new DroppedMessages(pattern, policy, frame.count()));
        return true;
    }

    private void tellDropped(DroppedMessages run) {
        try {
            options.dropListener().accept(run);
        } catch (Throwable e) {
            Exceptions.throwIfJvmFatal(e);
            LOG.warn("drop listener of subscriber of '{}' threw; ignored", pattern, e);
        }
    }

    /** @return the subscription's pattern */
    Key pattern() {
        return pattern;
    }

    /** A SUBSCRIPTION_END frame, on the inbound thread of connection {@code c}. */
    void onEnd(ClientConnection c, SubscriptionEndFrame frame) {
        synchronized (this) {
            if (done || connection != c) {
                return;
            }
            done = true;
            c.releaseSubscription();
        }
        hub.removed(this);
        switch (frame.reason()) {
            case COMPLETED -> actual.onComplete();
            case OVERFLOW -> {
                // the message that overflowed was dropped, as an in-process hub counts and tells it
                hub.dropped(pattern, Overflow.ERROR, 1);
                tellDropped(new DroppedMessages(pattern, Overflow.ERROR, 1));
                actual.onError(new OverflowException(pattern.toString(), options.bufferSize()));
            }
            case FAILED -> actual.onError(new RemoteSubscriptionException(PeerText.escape(frame.detail(), 512)
                    + " (broker " + c.name() + ")"));
        }
    }

    /** The hub closed: complete (no message is buffered here). */
    void complete() {
        synchronized (this) {
            if (done) {
                return;
            }
            done = true;
        }
        actual.onComplete();
    }

    /** Ends the subscription with an error (local refusal, a fatal connection error). */
    void fail(Throwable error) {
        synchronized (this) {
            if (done) {
                return;
            }
            done = true;
        }
        hub.removed(this);
        signalError(error);
    }

    private void signalError(Throwable error) {
        actual.onError(error);
    }

    @Override
    public String toString() {
        return "ClientSubscription[" + id + ", " + pattern + "]";
    }
}
