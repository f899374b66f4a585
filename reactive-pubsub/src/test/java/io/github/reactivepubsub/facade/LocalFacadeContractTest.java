package io.github.reactivepubsub.facade;

import io.github.reactivepubsub.Hub;
import org.junit.jupiter.api.AfterEach;

/** The {@link FacadeContract} on the in-process hub. */
class LocalFacadeContractTest implements FacadeContract {

    private final Hub hub = Hub.create();

    @AfterEach
    void close() {
        hub.close();
    }

    @Override
    public Hub hub() {
        return hub;
    }
}
