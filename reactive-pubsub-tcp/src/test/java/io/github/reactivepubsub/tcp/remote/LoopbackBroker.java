package io.github.reactivepubsub.tcp.remote;

import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.HubContract;
import io.github.reactivepubsub.codec.Codecs;
import io.github.reactivepubsub.tcp.broker.PubSubServer;
import io.github.reactivepubsub.tcp.broker.PubSubServerOptions;

/**
 * A broker over an in-process hub on a loopback port and one {@link RemoteHub} connected to it (UTF-8 payloads):
 * what the contract tests run against. {@link #close()} closes the client, the broker and its hub.
 */
final class LoopbackBroker implements AutoCloseable {

    private final Hub brokerHub = Hub.create();
    private PubSubServer server;
    private final RemoteHub client;

    LoopbackBroker() {
        this(RemoteHubOptions.defaults());
    }

    LoopbackBroker(RemoteHubOptions options) {
        server = bind(0);
        client = RemoteHub.create("127.0.0.1", server.port(), Codecs.utf8(), options);
        client.connected().block(HubContract.WAIT);
    }

    private PubSubServer bind(int port) {
        return PubSubServer.bind(brokerHub, Codecs.utf8(), PubSubServerOptions.defaults(), "127.0.0.1", port)
                .block(HubContract.WAIT);
    }

    /** @return the connected client */
    RemoteHub client() {
        return client;
    }

    /** @return the broker's port on 127.0.0.1 */
    int port() {
        return server.port();
    }

    /** @return the broker's in-process hub */
    Hub brokerHub() {
        return brokerHub;
    }

    /** Disposes the broker's server and binds a new one on the same port (the client is left to reconnect). */
    void restartServer() {
        int port = server.port();
        server.disposeNow(HubContract.WAIT);
        server = bind(port);
    }

    @Override
    public void close() {
        client.close();
        server.disposeNow(HubContract.WAIT);
        brokerHub.close();
    }
}
