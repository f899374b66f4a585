package io.github.reactivepubsub.spring;

import io.github.reactivepubsub.Overflow;
import io.github.reactivepubsub.SubscribeOptions;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code reactive-pubsub.*} properties. Immutable (bound through the constructor).
 *
 * <pre>
 * reactive-pubsub.hub=tcp://broker.example:7400     # default: local (an in-process hub)
 * reactive-pubsub.username=app
 * reactive-pubsub.password=secret
 * reactive-pubsub.metrics.topics=md.*,orders.**     # topics with meters of their own
 * </pre>
 *
 * @param hub which hub: {@code local} (an in-process hub, the default), {@code tcp://host:port} (a remote hub
 *     connected to a broker, with the TCP module) or {@code redis://host[:port]} / {@code rediss://...} (a
 *     Redis-backed hub, with the Redis module; Lettuce's URI syntax, port 6379 by default)
 * @param username the broker's user name (remote hubs; not used for Redis, whose URI carries its credentials), or
 *     none
 * @param password the broker's password (remote hubs; not used for Redis), or none
 * @param codec how payloads cross the wire of a remote or Redis hub: {@code utf8} (strings, the default) or
 *     {@code bytes} ({@code byte[]}); a {@code Codec} bean replaces it
 * @param bufferSize each subscriber's buffer when it gives no options
 * @param overflow what a full buffer does when a subscriber gives no options
 * @param metrics the metrics' settings
 */
@ConfigurationProperties("reactive-pubsub")
public record ReactivePubSubProperties(
        @DefaultValue("local") String hub,
        @Nullable String username,
        @Nullable String password,
        @DefaultValue("utf8") String codec,
        @DefaultValue("256") int bufferSize,
        @DefaultValue("ERROR") Overflow overflow,
        @DefaultValue Metrics metrics) {

    /**
     * The {@code reactive-pubsub.metrics.*} properties.
     *
     * @param enabled whether the hub's meters are bound (when a {@code MeterRegistry} exists)
     * @param name the value of the meters' {@code hub} tag
     * @param topics topics (subscribed keys or patterns) that get meters of their own; none by default, so the
     *     number of meters never grows with the keys published
     */
    public record Metrics(@DefaultValue("true") boolean enabled, @DefaultValue("default") String name,
            @DefaultValue List<String> topics) {
    }

    /** @return the subscribe defaults these properties describe */
    public SubscribeOptions subscribeDefaults() {
        return SubscribeOptions.defaults().bufferSize(bufferSize).overflow(overflow);
    }
}
