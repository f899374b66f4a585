package io.github.reactivepubsub.tcp.remote;

import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.HubContract;
import io.github.reactivepubsub.facade.FacadeContract;
import org.junit.jupiter.api.AfterEach;

/**
 * The {@link HubContract} and the {@link FacadeContract} (Pub/Sub, Channels) on a {@link RemoteHub} connected over
 * loopback to a broker exposing an in-process hub: the same test methods as {@code LocalHubContractTest} and
 * {@code LocalFacadeContractTest}, each on a broker of its own.
 */
class RemoteHubContractTest implements HubContract, FacadeContract {

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
