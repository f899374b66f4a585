package io.github.reactivepubsub.tcp.broker;

import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.codec.Codecs;
import java.io.IOException;

/**
 * A broker in a process of its own, for {@link SmallHeapBrokerIT}: binds on loopback with the default options,
 * prints {@code PORT <n>}, and exits when its standard input closes (its parent ended).
 */
public final class BrokerProcess {

    private BrokerProcess() {
    }

    /**
     * Runs the broker.
     *
     * @param args none
     * @throws IOException when standard input fails
     */
    public static void main(String[] args) throws IOException {
        Hub hub = Hub.create();
        PubSubServer server = PubSubServer.bind(hub, Codecs.utf8(), PubSubServerOptions.defaults(), "127.0.0.1", 0)
                .block();
        System.out.println("PORT " + server.port());
        System.out.flush();
        while (System.in.read() >= 0) {
            // runs until the parent closes our standard input
        }
        server.disposeNow();
        hub.close();
    }
}
