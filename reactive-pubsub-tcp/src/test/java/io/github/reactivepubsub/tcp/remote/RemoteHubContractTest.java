package io.github.reactivepubsub.tcp.remote;

import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.HubContract;
import io.github.reactivepubsub.tcp.broker.PubSubServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The {@link HubContract} on a {@link RemoteHub} connected over loopback to a {@link PubSubServer} exposing an
 * in-process hub: the same test methods as {@code LocalHubContractTest}.
 */
class RemoteHubContractTest implements HubContract {

    private LoopbackBroker broker;

    @BeforeEach
    void connect() {
        broker = new LoopbackBroker(RemoteHubOptions.defaults());
    }

    @AfterEach
    void close() {
        broker.close();
    }

    @Override
    public Hub hub() {
        return broker.hub;
    }
}
