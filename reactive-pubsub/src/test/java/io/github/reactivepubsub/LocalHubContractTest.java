package io.github.reactivepubsub;

import org.junit.jupiter.api.AfterEach;

/** The {@link HubContract} on the in-process hub. */
class LocalHubContractTest implements HubContract {

    private final Hub hub = Hub.create();

    @Override
    public Hub hub() {
        return hub;
    }

    @AfterEach
    void closeHub() {
        hub.close();
    }
}
