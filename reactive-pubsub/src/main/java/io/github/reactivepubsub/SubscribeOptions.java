package io.github.reactivepubsub;

import io.github.reactivepubsub.internal.Checks;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Immutable options of one subscriber: the size of its own bounded buffer, what happens when the buffer is full, and
 * a listener told of every message dropped for it. Every setter returns a new instance.
 *
 * <pre>{@code
 * SubscribeOptions opts = SubscribeOptions.defaults().bufferSize(1024).overflow(Overflow.DROP_OLDEST);
 * }</pre>
 *
 * <p>Each subscriber has its own buffer: a slow subscriber holds at most {@code bufferSize} messages and never slows
 * the publishers or the other subscribers.
 */
public final class SubscribeOptions {

    /** The default buffer size, in messages. */
    public static final int DEFAULT_BUFFER_SIZE = 256;

    private static final Consumer<Object> NO_LISTENER = m -> { };
    private static final SubscribeOptions DEFAULTS =
            new SubscribeOptions(DEFAULT_BUFFER_SIZE, Overflow.ERROR, NO_LISTENER);

    private final int bufferSize;
    private final Overflow overflow;
    private final Consumer<Object> dropListener;

    private SubscribeOptions(int bufferSize, Overflow overflow, Consumer<Object> dropListener) {
        this.bufferSize = Checks.atLeast("bufferSize", bufferSize, 1);
        this.overflow = Objects.requireNonNull(overflow, "overflow");
        this.dropListener = Objects.requireNonNull(dropListener, "listener");
    }

    /** @return buffer of {@value #DEFAULT_BUFFER_SIZE} messages, {@link Overflow#ERROR}, no drop listener */
    public static SubscribeOptions defaults() {
        return DEFAULTS;
    }

    /**
     * @param size the most messages held for this subscriber while it has no demand; at least 1
     * @return a copy with that buffer size
     * @throws IllegalArgumentException when {@code size < 1}
     */
    public SubscribeOptions bufferSize(int size) {
        return new SubscribeOptions(size, overflow, dropListener);
    }

    /**
     * @param policy what to do when a message arrives while the buffer is full
     * @return a copy with that policy
     */
    public SubscribeOptions overflow(Overflow policy) {
        return new SubscribeOptions(bufferSize, policy, dropListener);
    }

    /**
     * A listener told of each message dropped for this subscriber (by {@code DROP_OLDEST}, {@code DROP_LATEST}, or
     * the message that overflowed under {@code ERROR}). It runs on the thread that hands the message to the
     * subscriber's buffer (in-process: the publishing thread; Redis: the hub connection's event loop) while the
     * subscriber's delivery is serialized: keep it short and non-blocking (incrementing a counter is the intended use). A listener
     * that throws is logged and otherwise ignored.
     *
     * <p><b>Remote subscribers.</b> A subscriber of a TCP {@code RemoteHub} has its buffer at the broker, which
     * drops there and reports counts, not messages: its listener receives one {@link DroppedMessages} per report
     * (the subscription's pattern, the policy, how many consecutive messages), on the connection's inbound thread, in
     * stream order between the messages before and after the gap (so a DROP_LATEST gap behind buffered messages is
     * told once those were delivered). Under {@code ERROR} it receives a {@code DroppedMessages} of 1 just before the
     * subscriber's {@link OverflowException}. Its work per report is one call, whatever the count.
     *
     * <pre>{@code
     * LongAdder dropped = new LongAdder();
     * hub.subscribe(key, SubscribeOptions.defaults().overflow(Overflow.DROP_OLDEST)
     *         .onDrop(e -> dropped.add(e instanceof DroppedMessages run ? run.count() : 1)));
     * }</pre>
     *
     * @param listener receives each dropped element (a {@link Message} for in-process and Redis hub subscriptions,
     *     a {@link DroppedMessages} per reported run for remote ones)
     * @return a copy with that listener (replacing any previous one)
     */
    public SubscribeOptions onDrop(Consumer<Object> listener) {
        return new SubscribeOptions(bufferSize, overflow, listener);
    }

    /** @return the buffer size, in messages */
    public int bufferSize() {
        return bufferSize;
    }

    /** @return the overflow policy */
    public Overflow overflow() {
        return overflow;
    }

    /** @return the drop listener (a no-op unless one was set) */
    public Consumer<Object> dropListener() {
        return dropListener;
    }

    @Override
    public String toString() {
        return "SubscribeOptions[bufferSize=" + bufferSize + ", overflow=" + overflow + "]";
    }
}
