package io.github.reactivepubsub.micrometer;

import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.HubStats;
import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.Overflow;
import io.github.reactivepubsub.PublishResult;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.lang.ref.WeakReference;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Binds a {@link Hub}'s {@link HubStats} to a Micrometer registry. Immutable; every setter returns a new instance.
 *
 * <pre>{@code
 * HubMetrics.of(hub).name("market")
 *         .topics(List.of(Key.parse("md.*")))       // only these topics get meters of their own
 *         .bindTo(registry);
 * }</pre>
 *
 * <h2>Meters</h2>
 * Every meter carries the tag {@code hub} ({@link #name(String)}) and the extra tags given.
 * <table>
 * <caption>Hub meters</caption>
 * <tr><th>name</th><th>type</th><th>tags</th><th>what</th></tr>
 * <tr><td>{@code reactive.pubsub.hub.published}</td><td>counter</td><td>{@code result}: {@code delivered},
 *     {@code no_subscribers}, {@code closed}, {@code sent}, {@code disconnected}, {@code back_pressured}</td>
 *     <td>publishes by outcome ({@link PublishResult.Status})</td></tr>
 * <tr><td>{@code reactive.pubsub.hub.delivered}</td><td>counter</td><td></td><td>message copies handed to
 *     subscribers</td></tr>
 * <tr><td>{@code reactive.pubsub.hub.dropped}</td><td>counter</td><td>{@code overflow}: {@code error},
 *     {@code drop_oldest}, {@code drop_latest}</td><td>copies dropped by full subscriber buffers</td></tr>
 * <tr><td>{@code reactive.pubsub.hub.topics}</td><td>gauge</td><td></td><td>active topics</td></tr>
 * <tr><td>{@code reactive.pubsub.hub.subscribers}</td><td>gauge</td><td></td><td>subscribers</td></tr>
 * <tr><td>{@code reactive.pubsub.hub.buffer.fill.max}</td><td>gauge</td><td></td><td>the fullest subscriber
 *     buffer, 0 to 1</td></tr>
 * <tr><td>{@code reactive.pubsub.topic.delivered}, {@code .dropped}, {@code .subscribers},
 *     {@code .buffer.fill.max}</td><td>as above</td><td>{@code topic} (and {@code overflow})</td><td>the same,
 *     for each topic of {@link #topics(Collection)} only</td></tr>
 * </table>
 *
 * <p><b>Cardinality.</b> No meter is created per published key: topic meters exist only for the topics listed in
 * {@link #topics(Collection)} (keys or patterns as subscribed), so their number is the list's size.
 *
 * <p><b>Cost.</b> Binding calls {@link Hub#stats()}, which switches counting on in the in-process hub (striped
 * counters on the publishing path, see {@link HubStats}); the gauges walk the hub's topics when the registry reads
 * them.
 *
 * <p><b>Lifetime.</b> The meters hold the hub weakly (Micrometer's way): they never keep it alive; once it is gone the
 * gauges read NaN and the counters their last value. While it lives they read its figures, also when its
 * {@link Hub#stats()} answers a new object per call (as {@code Hub}'s default does): one the garbage collector took is
 * asked of the hub again.
 *
 * <p>Thread-safe (immutable); {@link #bindTo(MeterRegistry)} may be called for several registries.
 */
public final class HubMetrics implements MeterBinder {

    private static final String PREFIX = "reactive.pubsub.";

    private final Hub hub;
    private final String name;
    private final Tags tags;
    private final List<Key> topics;

    private HubMetrics(Hub hub, String name, Tags tags, List<Key> topics) {
        this.hub = hub;
        this.name = name;
        this.tags = tags;
        this.topics = topics;
    }

    /**
     * @param hub the hub to measure
     * @return a binder with the name {@code "default"}, no extra tags and no topic meters
     */
    public static HubMetrics of(Hub hub) {
        return new HubMetrics(Objects.requireNonNull(hub, "hub"), "default", Tags.empty(), List.of());
    }

    /**
     * @param hubName the value of the {@code hub} tag, telling this hub's meters from another's
     * @return a copy with that name
     */
    public HubMetrics name(String hubName) {
        return new HubMetrics(hub, Objects.requireNonNull(hubName, "name"), tags, topics);
    }

    /**
     * @param extraTags tags added to every meter (e.g. the application's)
     * @return a copy with those tags (replacing earlier ones)
     */
    public HubMetrics tags(Iterable<Tag> extraTags) {
        return new HubMetrics(hub, name, Tags.of(extraTags), topics);
    }

    /**
     * The allow-list of topics measured on their own; every other topic counts only in the hub-wide meters.
     *
     * @param topicList subscribed keys or patterns, compared exactly (the topic {@code md.*} is not the key
     *     {@code md.tick})
     * @return a copy with that list (replacing an earlier one)
     */
    public HubMetrics topics(Collection<Key> topicList) {
        return new HubMetrics(hub, name, tags, List.copyOf(topicList));
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Figures<HubStats> stats = new Figures<>(hub, Hub::stats);
        Tags base = tags.and("hub", name);
        for (PublishResult.Status status : PublishResult.Status.values()) {
            counter(registry, "hub.published", base.and("result", tagValue(status)), hub,
                    stats.read(s -> s.published(status)), "Publishes by outcome");
        }
        counter(registry, "hub.delivered", base, hub, stats.read(HubStats::delivered),
                "Message copies handed to subscribers (one per subscriber per message)");
        for (Overflow policy : Overflow.values()) {
            counter(registry, "hub.dropped", base.and("overflow", tagValue(policy)), hub,
                    stats.read(s -> s.dropped(policy)),
                    "Message copies dropped by full subscriber buffers, by overflow policy");
        }
        gauge(registry, "hub.topics", base, hub, stats.read(HubStats::topics), "Active topics");
        gauge(registry, "hub.subscribers", base, hub, stats.read(HubStats::subscribers), "Subscribers of all topics");
        gauge(registry, "hub.buffer.fill.max", base, hub, stats.read(HubStats::bufferFillMax),
                "The fullest subscriber buffer, as a fraction of its size");
        for (Key topic : topics) {
            Figures<HubStats.TopicStats> t = new Figures<>(hub, h -> h.stats().topic(topic));
            Tags topicTags = base.and("topic", topic.toString());
            counter(registry, "topic.delivered", topicTags, hub, t.read(HubStats.TopicStats::delivered),
                    "Message copies handed to the topic's subscribers");
            for (Overflow policy : Overflow.values()) {
                counter(registry, "topic.dropped", topicTags.and("overflow", tagValue(policy)), hub,
                        t.read(s -> s.dropped(policy)), "Message copies dropped by the topic's subscribers");
            }
            gauge(registry, "topic.subscribers", topicTags, hub, t.read(HubStats.TopicStats::subscribers),
                    "Subscribers of the topic");
            gauge(registry, "topic.buffer.fill.max", topicTags, hub, t.read(HubStats.TopicStats::bufferFillMax),
                    "The fullest buffer among the topic's subscribers");
        }
    }

    /**
     * The figures some meters read: the hub's {@link HubStats} or one topic's. The meters' object is the hub, so
     * Micrometer holds it weakly; the figures are held weakly too (they may hold the hub, and the registry must not)
     * and asked of the hub again when the garbage collector took them while the hub lives. Nothing here captures
     * the hub strongly: not this object, nor {@code source}, nor the functions of {@link #read}.
     *
     * @param <S> the type of the figures
     */
    private static final class Figures<S> {

        private final Function<Hub, S> source;
        private volatile WeakReference<S> held;

        /** Asks for the figures once now: binding switches counting on. */
        Figures(Hub hub, Function<Hub, S> source) {
            this.source = source;
            this.held = new WeakReference<>(source.apply(hub));
        }

        /** @return a meter's function of the hub: {@code value} of the current figures */
        ToDoubleFunction<Hub> read(ToDoubleFunction<S> value) {
            return hub -> value.applyAsDouble(of(hub));
        }

        private S of(Hub hub) {
            S figures = held.get();
            if (figures == null) {
                // a race with another reader asks twice; both answers are the hub's figures
                figures = source.apply(hub);
                held = new WeakReference<>(figures);
            }
            return figures;
        }
    }

    static String tagValue(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    static <T> void counter(MeterRegistry registry, String name, Tags tags, T state, ToDoubleFunction<T> count,
            String description) {
        FunctionCounter.builder(PREFIX + name, state, count).tags(tags).description(description)
                .register(registry);
    }

    static <T> void gauge(MeterRegistry registry, String name, Tags tags, T state, ToDoubleFunction<T> value,
            String description) {
        Gauge.builder(PREFIX + name, state, value).tags(tags).description(description)
                .register(registry);
    }

    @Override
    public String toString() {
        return "HubMetrics[" + name + ", " + topics.size() + " topics]";
    }
}
