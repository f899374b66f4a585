package io.github.reactivepubsub.redis;

import io.github.reactivepubsub.HubContract;
import io.github.reactivepubsub.facade.FacadeContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The {@link HubContract} and the {@link FacadeContract} as a {@link RedisHub} keeps them, on one server
 * ({@code RedisHubContractTest}) and on a cluster ({@code RedisClusterHubTest}).
 *
 * <p>Each test gets a hub of its own from {@link #createHub()}, connected before the test and closed after it.
 */
abstract class RedisHubContract implements HubContract, FacadeContract {

    private RedisHub hub;

    /** @return a new hub on the test's server, in a namespace no other test uses */
    abstract RedisHub createHub();

    @BeforeEach
    void connect() {
        hub = createHub();
        hub.connected().block(WAIT);
    }

    @AfterEach
    void close() {
        hub.close();
        hub.status().blockLast(WAIT);
    }

    @Override
    public RedisHub hub() {
        return hub;
    }
}
