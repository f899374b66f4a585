package io.github.reactivepubsub.tcp.remote;

import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.HubContract;
import org.junit.jupiter.api.AfterEach;

/**
 * The {@link HubContract} on a {@link RemoteHub} connected over loopback to a broker exposing an in-process hub: the
 * same test methods as {@code LocalHubContractTest}.
 */
class RemoteHubContractTest implements HubContract {

    private final LoopbackBroker broker = new LoopbackBroker();

    @AfterEach
    void close() {
        broker.close();
    }

    @Override
    public Hub hub() {
        return broker.client();
    }
}
