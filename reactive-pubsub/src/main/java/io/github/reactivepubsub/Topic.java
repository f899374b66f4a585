package io.github.reactivepubsub;

import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.Scannable;
import reactor.core.publisher.Sinks;

/**
 * One subscribed key or pattern, fed through a {@link SerializedEmitter} so that any number of publishing threads can
 * emit into it without a lock.
 *
 * <p>A topic without replay multicasts itself: its subscribers' buffers ({@link BoundedBufferSubscriber}) sit in a
 * copy-on-write array and every message is handed to each of them in turn, on the emitting thread. A Reactor
 * {@code directBestEffort} sink does the same but puts one more object between the loop and each buffer (its inner
 * subscription, which checks the buffer's demand: always unbounded here), which cost a third of the hub's time per
 * subscriber when fanning out. A topic with replay keeps an unsafe (unserialized) Reactor replay sink, which already
 * lets subscribers join concurrently with emissions and replays its history to them.
 *
 * <p>{@code subscribers}, {@code pending}, {@code declarations} and {@code removed} are guarded by the hub's lock;
 * {@code subscribers} is volatile so that publishing and introspection read it without the lock.
 */
final class Topic extends SerializedEmitter<Object> {

    private static final Object COMPLETE = new Object();
    @SuppressWarnings("rawtypes")
    private static final BoundedBufferSubscriber[] EMPTY = new BoundedBufferSubscriber[0];
    @SuppressWarnings("rawtypes")
    private static final BoundedBufferSubscriber[] TERMINATED = new BoundedBufferSubscriber[0];

    final Key pattern;
    final String name;
    final TopicOptions options;
    private final Sinks.@Nullable Many<Message<?>> replaySink;

    @SuppressWarnings("unchecked")
    private volatile BoundedBufferSubscriber<Message<?>>[] members = EMPTY;
    @SuppressWarnings("rawtypes")
    private static final AtomicReferenceFieldUpdater<Topic, BoundedBufferSubscriber[]> MEMBERS =
            AtomicReferenceFieldUpdater.newUpdater(Topic.class, BoundedBufferSubscriber[].class, "members");

    volatile int subscribers;
    /** Subscribers joining: attached but not yet counted (keeps the topic from being removed). */
    int pending;
    int declarations;
    boolean removed;
    /** This topic's own counts when {@link HubStats#topic(Key)} tracks it; set under the hub's lock. */
    volatile LocalHubStats.@Nullable Counted counted;

    Topic(Key pattern, TopicOptions options) {
        this.pattern = pattern;
        this.name = pattern.toString();
        this.options = options;
        this.replaySink = options.replay() > 0 ? Sinks.unsafe().many().replay().limit(options.replay()) : null;
    }

    boolean isUnused() {
        return subscribers == 0 && pending == 0 && declarations == 0;
    }

    /**
     * Attaches a subscriber's buffer: it receives every message emitted after this call (and the replay history
     * first, on a replay topic), or completes at once when the topic has completed.
     */
    void attach(BoundedBufferSubscriber<Message<?>> buffer) {
        if (replaySink != null) {
            replaySink.asFlux().subscribe(buffer);
            return;
        }
        Attachment attachment = new Attachment(buffer);
        buffer.onSubscribe(attachment);
        if (!add(buffer)) {
            buffer.onComplete();
        } else if (attachment.cancelled) {
            remove(buffer); // cancelled during onSubscribe, before it was added
        }
    }

    /** Counts copies handed to this topic's subscribers, when the topic is tracked. */
    void delivered(int copies) {
        LocalHubStats.Counted c = counted;
        if (c != null) {
            c.addDelivered(copies);
        }
    }

    /**
     * @return the fullest subscriber buffer of this topic, as a fraction of its size: read from the members (or,
     *     on a replay topic, through the sink's {@link Scannable} view of its subscribers, each a
     *     {@link BoundedBufferSubscriber}), so nothing is registered per subscriber and publishing pays nothing for it
     */
    double bufferFillMax() {
        Sinks.Many<Message<?>> sink = replaySink;
        if (sink != null) {
            return Scannable.from(sink).inners()
                    .map(inner -> inner.scanUnsafe(Scannable.Attr.ACTUAL))
                    .mapToDouble(actual -> actual instanceof BoundedBufferSubscriber<?> b ? b.fill() : 0)
                    .max().orElse(0);
        }
        double max = 0;
        for (BoundedBufferSubscriber<Message<?>> member : members) {
            max = Math.max(max, member.fill());
        }
        return max;
    }

    void complete() {
        emit(COMPLETE);
    }

    @Override
    @SuppressWarnings("unchecked")
    void emitSerialized(Object element) {
        Sinks.Many<Message<?>> sink = replaySink;
        if (element == COMPLETE) {
            if (sink != null) {
                sink.tryEmitComplete();
            } else {
                for (BoundedBufferSubscriber<Message<?>> member : MEMBERS.getAndSet(this, TERMINATED)) {
                    member.onComplete();
                }
            }
        } else if (sink != null) {
            // FAIL_ZERO_SUBSCRIBER (nobody listening) and FAIL_TERMINATED (closed) are outcomes, not errors here.
            sink.tryEmitNext((Message<?>) element);
        } else {
            // Each buffer isolates its subscriber (it never throws, and never waits for a slow one).
            Message<?> message = (Message<?>) element;
            for (BoundedBufferSubscriber<Message<?>> member : members) {
                member.onNext(message);
            }
        }
    }

    private boolean add(BoundedBufferSubscriber<Message<?>> buffer) {
        for (;;) {
            BoundedBufferSubscriber<Message<?>>[] current = members;
            if (current == TERMINATED) {
                return false;
            }
            int n = current.length;
            @SuppressWarnings("unchecked")
            BoundedBufferSubscriber<Message<?>>[] next = new BoundedBufferSubscriber[n + 1];
            System.arraycopy(current, 0, next, 0, n);
            next[n] = buffer;
            if (MEMBERS.compareAndSet(this, current, next)) {
                return true;
            }
        }
    }

    private void remove(BoundedBufferSubscriber<Message<?>> buffer) {
        for (;;) {
            BoundedBufferSubscriber<Message<?>>[] current = members;
            int n = current.length;
            int index = -1;
            for (int i = 0; i < n; i++) {
                if (current[i] == buffer) {
                    index = i;
                    break;
                }
            }
            if (index < 0) {
                return; // never added, already removed, or the topic terminated
            }
            @SuppressWarnings("unchecked")
            BoundedBufferSubscriber<Message<?>>[] next = n == 1 ? EMPTY : new BoundedBufferSubscriber[n - 1];
            System.arraycopy(current, 0, next, 0, index);
            System.arraycopy(current, index + 1, next, index, n - index - 1);
            if (MEMBERS.compareAndSet(this, current, next)) {
                return;
            }
        }
    }

    @Override
    public String toString() {
        return "Topic[" + name + ", subscribers=" + subscribers + "]";
    }

    /**
     * The upstream subscription of one buffer: it always requests everything (a no-op here, the topic never waits
     * for demand) and cancelling removes it from the topic.
     */
    private final class Attachment implements Subscription {

        private final BoundedBufferSubscriber<Message<?>> buffer;
        private volatile boolean cancelled;

        Attachment(BoundedBufferSubscriber<Message<?>> buffer) {
            this.buffer = buffer;
        }

        @Override
        public void request(long n) {
            // The buffer requests Long.MAX_VALUE once; the topic delivers every message to it regardless.
        }

        @Override
        public void cancel() {
            cancelled = true;
            remove(buffer);
        }
    }
}
