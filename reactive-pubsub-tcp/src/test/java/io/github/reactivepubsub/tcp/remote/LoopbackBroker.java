package io.github.reactivepubsub.tcp.remote;

import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.codec.Codecs;
import io.github.reactivepubsub.tcp.broker.PubSubServer;
import io.github.reactivepubsub.tcp.broker.PubSubServerOptions;
import java.time.Duration;

/** A broker on loopback (port 0, default options, UTF-8 payloads) and a remote hub connected to it; close() both. */
final class LoopbackBroker implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(10);

    final Hub brokerHub = Hub.create();
    PubSubServer server;
    final RemoteHub hub;

    LoopbackBroker(RemoteHubOptions options) {
        server = PubSubServer.bind(brokerHub, Codecs.utf8(), PubSubServerOptions.defaults(), "127.0.0.1", 0)
                .block(WAIT);
        hub = RemoteHub.create("127.0.0.1", server.port(), Codecs.utf8(), options);
        hub.connected().block(WAIT);
    }

    /** Disposes the broker's server and binds a new one on the same port (the hub is left to reconnect). */
    void restartServer() {
        int port = server.port();
        server.disposeNow(WAIT);
        server = PubSubServer.bind(brokerHub, Codecs.utf8(), PubSubServerOptions.defaults(), "127.0.0.1", port)
                .block(WAIT);
    }

    @Override
    public void close() {
        hub.close();
        server.disposeNow(WAIT);
        brokerHub.close();
    }
}
