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

    private HubFactory() {
    }

    static Hub create(ReactivePubSubProperties properties, @Nullable Codec<?> codecBean,
            @Nullable ClassLoader classLoader) {
        String hub = properties.hub().trim();
        if (hub.equalsIgnoreCase("local")) {
            return Hub.create(HubOptions.defaults().subscribeDefaults(properties.subscribeDefaults()));
        }
        URI uri = parse(hub);
        Codec<?> codec = codecBean != null ? codecBean : codec(properties.codec());
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        switch (scheme) {
            case "tcp" -> {
                require(REMOTE_HUB, "reactive-pubsub-tcp", hub, classLoader);
                return RemoteHubs.create(uri, codec, properties);
            }
            case "redis", "rediss" -> {
                require(REDIS_HUB, "reactive-pubsub-redis", hub, classLoader);
                return RedisHubs.create(hub, codec, properties);
            }
            default -> throw new IllegalArgumentException("reactive-pubsub.hub=" + hub + " is not supported; "
                    + "expected local, tcp://host:port or redis://host:port");
        }
    }

    /** @return what the hub is, for the health details */
    static String describe(ReactivePubSubProperties properties) {
        return properties.hub().trim();
    }

    private static URI parse(String hub) {
        URI uri;
        try {
            uri = URI.create(hub);
        } catch (IllegalArgumentException e) {
            throw invalid(hub, e.getMessage());
        }
        if (uri.getHost() == null || uri.getPort() < 0) {
            throw invalid(hub, "no host or port");
        }
        return uri;
    }

    private static IllegalArgumentException invalid(String hub, String why) {
        return new IllegalArgumentException("reactive-pubsub.hub=" + hub + " is not a valid address (" + why
                + "); expected local, tcp://host:port or redis://host:port");
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
