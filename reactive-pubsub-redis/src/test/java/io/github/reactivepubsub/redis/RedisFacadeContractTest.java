package io.github.reactivepubsub.redis;

import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.codec.Codecs;
import io.github.reactivepubsub.facade.FacadeContract;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The {@link FacadeContract} (Pub/Sub, Channels) on a {@link RedisHub} connected to a real redis-server. */
class RedisFacadeContractTest implements FacadeContract {

    @RegisterExtension
    static final RedisServer REDIS = RedisServer.standalone();

    private static final AtomicInteger TESTS = new AtomicInteger();

    private RedisHub hub;

    @BeforeEach
    void connect() {
        hub = RedisHub.create(REDIS.uri(), Codecs.utf8(),
                RedisHubOptions.defaults().namespace("facade" + TESTS.incrementAndGet() + ":"));
        hub.connected().block(io.github.reactivepubsub.HubContract.WAIT);
    }

    @AfterEach
    void close() {
        hub.close();
        hub.status().blockLast(io.github.reactivepubsub.HubContract.WAIT);
    }

    @Override
    public Hub hub() {
        return hub;
    }
}
