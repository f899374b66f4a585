package io.github.reactivepubsub.mmap.micrometer;

import io.github.reactivepubsub.mmap.MmapPublisher;
import io.github.reactivepubsub.mmap.MmapSubscriber;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Locale;
import java.util.Objects;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * Binds a shared-memory feed's counts to a Micrometer registry: an {@link MmapSubscriber}'s datagrams, laps and
 * losses, or an {@link MmapPublisher}'s datagrams. The counts are the ones the subscriber and publisher keep anyway
 * (plain fields written by the poller or the publisher), so binding adds nothing to the polling path. Immutable.
 *
 * <pre>{@code
 * MmapMetrics.of(subscriber).bindTo(registry);
 * MmapMetrics.of(publisher).bindTo(registry);
 * }</pre>
 *
 * <h2>Meters</h2>
 * Every meter carries the tags {@code feed} (the file's path) and {@code layout} ({@code rtg}, {@code native}), and the
 * extra tags given.
 * <table>
 * <caption>Shared-memory meters</caption>
 * <tr><th>name</th><th>type</th><th>tags</th><th>what</th></tr>
 * <tr><td>{@code reactive.pubsub.mmap.datagrams}</td><td>counter</td><td>{@code side}: {@code published},
 *     {@code received}</td><td>datagrams written, or read by the subscriber</td></tr>
 * <tr><td>{@code reactive.pubsub.mmap.laps}</td><td>counter</td><td></td><td>times the publisher lapped the
 *     subscriber ({@code NATIVE})</td></tr>
 * <tr><td>{@code reactive.pubsub.mmap.lost}</td><td>counter</td><td></td><td>datagrams lost to laps, exact from
 *     sequence numbers ({@code NATIVE})</td></tr>
 * <tr><td>{@code reactive.pubsub.mmap.skipped}</td><td>counter (bytes)</td><td></td><td>ring bytes skipped
 *     resynchronizing after laps</td></tr>
 * <tr><td>{@code reactive.pubsub.mmap.corrupt}</td><td>counter</td><td></td><td>slots skipped for an out-of-range
 *     length ({@code RTG})</td></tr>
 * </table>
 *
 * <p>Thread-safe (immutable). The meters hold the subscriber or publisher weakly (Micrometer's default).
 */
public final class MmapMetrics implements MeterBinder {

    private static final String PREFIX = "reactive.pubsub.mmap.";

    private final Object feed;
    private final Tags tags;

    private MmapMetrics(Object feed, Tags tags) {
        this.feed = feed;
        this.tags = tags;
    }

    /**
     * @param subscriber the subscriber to measure
     * @return a binder of its datagrams received, laps, losses, skipped bytes and corrupt slots
     */
    public static MmapMetrics of(MmapSubscriber subscriber) {
        Objects.requireNonNull(subscriber, "subscriber");
        return new MmapMetrics(subscriber, Tags.of("feed", subscriber.path().toString(), "layout",
                subscriber.layout().name().toLowerCase(Locale.ROOT)));
    }

    /**
     * @param publisher the publisher to measure
     * @return a binder of its datagrams published
     */
    public static MmapMetrics of(MmapPublisher publisher) {
        Objects.requireNonNull(publisher, "publisher");
        return new MmapMetrics(publisher, Tags.of("feed", publisher.path().toString(), "layout",
                publisher.layout().name().toLowerCase(Locale.ROOT)));
    }

    /**
     * @param extraTags tags added to every meter
     * @return a copy with those tags added
     */
    public MmapMetrics tags(Iterable<Tag> extraTags) {
        return new MmapMetrics(feed, tags.and(extraTags));
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        if (feed instanceof MmapPublisher publisher) {
            counter(registry, "datagrams", tags.and("side", "published"), publisher, MmapPublisher::published,
                    null, "Datagrams written to the feed");
            return;
        }
        MmapSubscriber subscriber = (MmapSubscriber) feed;
        counter(registry, "datagrams", tags.and("side", "received"), subscriber, MmapSubscriber::delivered, null,
                "Datagrams read from the feed");
        counter(registry, "laps", tags, subscriber, MmapSubscriber::lappedCount, null,
                "Times the publisher lapped the subscriber");
        counter(registry, "lost", tags, subscriber, MmapSubscriber::messagesLost, null,
                "Datagrams lost to laps");
        counter(registry, "skipped", tags, subscriber, MmapSubscriber::bytesSkipped, "bytes",
                "Ring bytes skipped resynchronizing after laps");
        counter(registry, "corrupt", tags, subscriber, MmapSubscriber::corruptCount, null,
                "Slots skipped for an out-of-range length");
    }

    private static <T> void counter(MeterRegistry registry, String name, Tags tags, T state, ToDoubleFunction<T> count,
            @Nullable String baseUnit, String description) {
        FunctionCounter.builder(PREFIX + name, state, count).tags(tags).baseUnit(baseUnit).description(description)
                .register(registry);
    }

    @Override
    public String toString() {
        return "MmapMetrics[" + tags + "]";
    }
}
