package io.github.reactivepubsub.redis;

import io.github.reactivepubsub.HubContract;
import io.github.reactivepubsub.codec.Codecs;
import io.github.reactivepubsub.facade.FacadeContract;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The {@link HubContract} and the {@link FacadeContract} (Pub/Sub, Channels) on a {@link RedisHub} connected to a real
 * {@code redis-server}, as {@link RedisHubContract} adapts them; each test in a namespace of its own.
 */
class RedisHubContractTest extends RedisHubContract {

    @RegisterExtension
    static final RedisServer REDIS = RedisServer.standalone();

    private static final AtomicInteger TESTS = new AtomicInteger();

    @Override
    RedisHub createHub() {
        return RedisHub.create(REDIS.uri(), Codecs.utf8(),
                RedisHubOptions.defaults().namespace("contract" + TESTS.incrementAndGet() + ":"));
    }
}
