package io.github.reactivepubsub.tcp.remote;

import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.HubContract;
import io.github.reactivepubsub.codec.Codecs;
import io.github.reactivepubsub.tcp.broker.PubSubServer;
import io.github.reactivepubsub.tcp.broker.PubSubServerOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The {@link HubContract} on a {@link RemoteHub} connected over loopback to a {@link PubSubServer} exposing an
 * in-process hub: the same test methods as {@code LocalHubContractTest}.
 */
class RemoteHubContractTest implements HubContract {

    private final Hub brokerHub = Hub.create();
    private PubSubServer server;
    private RemoteHub hub;

    @BeforeEach
    void connect() {
        server = PubSubServer.bind(brokerHub, Codecs.utf8(), PubSubServerOptions.defaults(), "127.0.0.1", 0)
                .block(WAIT);
        hub = RemoteHub.create("127.0.0.1", server.port(), Codecs.utf8(), RemoteHubOptions.defaults());
        hub.connected().block(WAIT);
    }

    @AfterEach
    void close() {
        hub.close();
        server.disposeNow(WAIT);
        brokerHub.close();
    }

    @Override
    public Hub hub() {
        return hub;
    }
}
