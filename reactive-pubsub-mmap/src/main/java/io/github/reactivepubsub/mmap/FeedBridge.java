package io.github.reactivepubsub.mmap;

import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.Message;
import io.github.reactivepubsub.SubscribeOptions;
import io.github.reactivepubsub.internal.EscapedText;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * Connects a feed and a hub in one direction: a feed's datagrams decoded into hub messages under keys the caller
 * chooses, or a hub subscription encoded and written out to a feed. Dispose it to stop.
 *
 * <p>An element that cannot be converted (the decoder or key function throws, e.g. a {@code ProtocolException}
 * for a malformed datagram; the encoder throws or produces more bytes than the feed accepts) is rejected alone:
 * counted in {@link #rejected()}, logged (its first 200 characters, with control and non-ASCII characters escaped),
 * and the bridge goes on.
 *
 * <pre>{@code
 * FeedBridge in = FeedBridge.feedToHub(feed, hub, d -> Key.of("md", "raw"), Datagram::toByteArray);
 * FeedBridge out = FeedBridge.hubToFeed(hub, Key.parse("orders.**"), SubscribeOptions.defaults(), publisher,
 *         (Message<String> m) -> m.payload().getBytes(StandardCharsets.UTF_8));
 * }</pre>
 */
public final class FeedBridge implements Disposable {

    private static final Logger LOG = Loggers.getLogger(FeedBridge.class);

    private final String name;
    private final AtomicLong forwarded = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final Disposable subscription;

    private <E> FeedBridge(String name, Flux<E> source, Consumer<E> forward) {
        this.name = name;
        this.subscription = source.subscribe(element -> {
            try {
                forward.accept(element);
                forwarded.incrementAndGet();
            } catch (RuntimeException e) {
                long count = rejected.incrementAndGet();
                // the element may carry a peer's bytes: escaped, so that it cannot split or forge log lines
                LOG.warn("bridge " + name + " rejected " + EscapedText.escape(String.valueOf(element), 200)
                        + " (" + count + " so far)", e);
            }
        }, error -> LOG.error("bridge " + name + " stopped: its source failed", error));
    }

    /**
     * Publishes every datagram of {@code feed} to {@code hub}, on the feed's poller thread (hub publishing never
     * blocks). Each bridge is one {@code Flux} subscriber of the feed, with the default buffer
     * ({@code Overflow.ERROR}): the hub accepts messages as fast as the feed delivers them.
     *
     * @param feed the source
     * @param hub the destination
     * @param keyOf chooses each datagram's concrete key
     * @param decode turns a datagram into the message payload
     * @return the running bridge
     */
    public static FeedBridge feedToHub(MmapSubscriber feed, Hub hub, Function<? super Datagram, Key> keyOf,
            Function<? super Datagram, ?> decode) {
        Objects.requireNonNull(keyOf, "keyOf");
        Objects.requireNonNull(decode, "decode");
        return new FeedBridge(feed.path() + " -> hub", feed.datagrams(),
                datagram -> hub.publish(keyOf.apply(datagram), decode.apply(datagram)));
    }

    /**
     * Writes every message of a hub subscription to {@code publisher}, on the hub's delivery thread.
     *
     * @param hub the source
     * @param pattern the subscription pattern
     * @param options the subscription's buffer and overflow policy
     * @param publisher the destination (left open when the bridge is disposed)
     * @param encode turns a message into one datagram
     * @param <T> the payload type
     * @return the running bridge
     */
    public static <T> FeedBridge hubToFeed(Hub hub, Key pattern, SubscribeOptions options, MmapPublisher publisher,
            Function<? super Message<T>, byte[]> encode) {
        Objects.requireNonNull(encode, "encode");
        return new FeedBridge("hub " + pattern + " -> " + publisher.path(), hub.<T>subscribe(pattern, options),
                message -> publisher.publish(encode.apply(message)));
    }

    /** @return elements converted and forwarded so far */
    public long forwarded() {
        return forwarded.get();
    }

    /** @return elements that could not be converted or written, so far */
    public long rejected() {
        return rejected.get();
    }

    /** Stops forwarding. Idempotent, non-blocking, any thread. */
    @Override
    public void dispose() {
        subscription.dispose();
    }

    @Override
    public boolean isDisposed() {
        return subscription.isDisposed();
    }

    @Override
    public String toString() {
        return "FeedBridge[" + name + "]";
    }
}
