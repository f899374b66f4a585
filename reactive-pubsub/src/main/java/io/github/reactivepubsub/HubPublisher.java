package io.github.reactivepubsub;

import java.util.Objects;

/**
 * Publishes to a hub under a fixed key prefix (aiopubsub's {@code Publisher}). Immutable and thread-safe; as cheap
 * as the hub's own {@link Hub#publish(Key, Object)} plus one key concatenation.
 *
 * <pre>{@code
 * HubPublisher nasdaq = hub.publisher(Key.of("NASDAQ"));
 * nasdaq.publish(Key.of("trade", "GOOGL"), trade); // published to NASDAQ.trade.GOOGL
 * }</pre>
 */
public final class HubPublisher {

    private final Hub hub;
    private final Key prefix;

    HubPublisher(Hub hub, Key prefix) {
        this.hub = Objects.requireNonNull(hub, "hub");
        this.prefix = prefix;
    }

    /** @return the prefix prepended to every key */
    public Key prefix() {
        return prefix;
    }

    /**
     * @param key the key after the prefix (concrete)
     * @param payload the payload
     * @return see {@link Hub#publish(Key, Object)}
     * @throws InvalidKeyException when the key is a pattern
     */
    public PublishResult publish(Key key, Object payload) {
        return hub.publish(prefix.concat(key.requireConcrete()), payload);
    }

    /**
     * @param key the dotted key after the prefix
     * @param payload the payload
     * @return see {@link Hub#publish(Key, Object)}
     * @throws InvalidKeyException when the key is not well formed or is a pattern
     */
    public PublishResult publish(String key, Object payload) {
        return publish(Key.parse(key), payload);
    }

    /**
     * @param key the key after the prefix
     * @return how many subscribers the exact topic {@code prefix.key} has
     */
    public int subscriberCount(Key key) {
        return hub.subscriberCount(prefix.concat(key));
    }

    @Override
    public String toString() {
        return "HubPublisher[" + prefix + "]";
    }
}
