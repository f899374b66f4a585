package io.github.reactivepubsub.spring;

import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.HubOptions;
import io.github.reactivepubsub.codec.Codec;
import io.github.reactivepubsub.codec.Codecs;
import java.net.URI;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.util.ClassUtils;

/** Creates the hub that {@code reactive-pubsub.hub} names. */
final class HubFactory {

    static final String REMOTE_HUB = "io.github.reactivepubsub.tcp.remote.RemoteHub";
    static final String REDIS_HUB = "io.github.reactivepubsub.redis.RedisHub";

    private static final String EXPECTED = "expected local, tcp://host:port or redis://host[:port]";

    private HubFactory() {
    }

    static Hub create(ReactivePubSubProperties properties, @Nullable Codec<?> codecBean,
            @Nullable ClassLoader classLoader) {
        String hub = properties.hub().trim();
        if (hub.equalsIgnoreCase("local")) {
            return Hub.create(HubOptions.defaults().subscribeDefaults(properties.subscribeDefaults()));
        }
        URI uri = address(hub);
        Codec<?> codec = codecBean != null ? codecBean : codec(properties.codec());
        switch (scheme(uri)) {
            case "tcp" -> {
                require(REMOTE_HUB, "reactive-pubsub-tcp", hub, classLoader);
                return RemoteHubs.create(uri, codec, properties);
            }
            case "redis", "rediss" -> {
                require(REDIS_HUB, "reactive-pubsub-redis", hub, classLoader);
                return RedisHubs.create(hub, codec, properties);
            }
            default -> throw new IllegalArgumentException("reactive-pubsub.hub=" + hub + " is not supported; "
                    + EXPECTED);
        }
    }

    /** @return what the hub is, for the health details */
    static String describe(ReactivePubSubProperties properties) {
        return properties.hub().trim();
    }

    /**
     * @param hub the {@code reactive-pubsub.hub} of a hub that is not {@code local}
     * @return it as a URI with a host, and a port for {@code tcp} (a Redis URI may leave it out: Lettuce fills in
     *     6379)
     * @throws IllegalArgumentException naming the address and what it lacks, when it is not such a URI
     */
    static URI address(String hub) {
        URI uri;
        try {
            uri = URI.create(hub);
        } catch (IllegalArgumentException e) {
            throw invalid(hub, e.getMessage());
        }
        if (uri.getHost() == null) {
            throw invalid(hub, uri.getRawAuthority() == null ? "no host"
                    : "'" + uri.getRawAuthority() + "' is not host[:port]");
        }
        if (uri.getPort() < 0 && scheme(uri).equals("tcp")) {
            throw invalid(hub, "no port");
        }
        return uri;
    }

    private static String scheme(URI uri) {
        return uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    }

    private static IllegalArgumentException invalid(String hub, String why) {
        return new IllegalArgumentException("reactive-pubsub.hub=" + hub + " is not a valid address (" + why
                + "); " + EXPECTED);
    }

    private static void require(String className, String artifact, String hub, @Nullable ClassLoader classLoader) {
        if (!ClassUtils.isPresent(className, classLoader)) {
            throw new IllegalStateException("reactive-pubsub.hub=" + hub + " needs " + artifact
                    + " on the class path (io.github.reactivepubsub:" + artifact + ")");
        }
    }

    static Codec<?> codec(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "utf8", "utf-8" -> Codecs.utf8();
            case "bytes" -> Codecs.bytes();
            default -> throw new IllegalArgumentException("reactive-pubsub.codec=" + name
                    + " is not supported; expected utf8 or bytes, or define a Codec bean");
        };
    }
}
