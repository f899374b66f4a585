package io.github.reactivepubsub.tcp.remote;

import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.facade.FacadeContract;
import org.junit.jupiter.api.AfterEach;

/** The {@link FacadeContract} on a {@link RemoteHub} connected over loopback to a broker. */
class RemoteFacadeContractTest implements FacadeContract {

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
