package io.github.reactivepubsub;

import io.github.reactivepubsub.internal.Checks;
import java.util.Objects;

/**
 * Immutable options of an in-process hub. Every setter returns a new instance.
 *
 * <pre>{@code
 * Hub hub = Hub.create(HubOptions.defaults().subscribeDefaults(SubscribeOptions.defaults().bufferSize(4096)));
 * }</pre>
 */
public final class HubOptions {

    /** Default bound of the per-key route cache. */
    public static final int DEFAULT_ROUTE_CACHE_SIZE = 65_536;

    private static final HubOptions DEFAULTS = new HubOptions(SubscribeOptions.defaults(), DEFAULT_ROUTE_CACHE_SIZE);

    private final SubscribeOptions subscribeDefaults;
    private final int routeCacheSize;

    private HubOptions(SubscribeOptions subscribeDefaults, int routeCacheSize) {
        this.subscribeDefaults = Objects.requireNonNull(subscribeDefaults, "options");
        this.routeCacheSize = Checks.notNegative("routeCacheSize", routeCacheSize);
    }

    /** @return default subscribe options and a route cache of {@value #DEFAULT_ROUTE_CACHE_SIZE} keys */
    public static HubOptions defaults() {
        return DEFAULTS;
    }

    /**
     * @param options what {@link Hub#subscribe(Key)} (without options) and {@link Hub#events()} use
     * @return a copy with those defaults
     */
    public HubOptions subscribeDefaults(SubscribeOptions options) {
        return new HubOptions(options, routeCacheSize);
    }

    /**
     * @param size the most published keys whose matching topics are cached; the cache is emptied whenever
     *     subscriptions change, and once full it keeps its keys (others are routed through the trie) until then;
     *     0 disables caching
     * @return a copy with that bound
     * @throws IllegalArgumentException when negative
     */
    public HubOptions routeCacheSize(int size) {
        return new HubOptions(subscribeDefaults, size);
    }

    /** @return the options used when a subscriber gives none */
    public SubscribeOptions subscribeDefaults() {
        return subscribeDefaults;
    }

    /** @return the route cache bound */
    public int routeCacheSize() {
        return routeCacheSize;
    }
}
