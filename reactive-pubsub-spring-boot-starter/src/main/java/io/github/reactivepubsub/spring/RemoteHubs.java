package io.github.reactivepubsub.spring;

import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.codec.Codec;
import io.github.reactivepubsub.tcp.remote.RemoteHub;
import io.github.reactivepubsub.tcp.remote.RemoteHubOptions;
import java.net.URI;

/** The TCP module's part: loaded only when {@code reactive-pubsub.hub} is {@code tcp://} and the module is there. */
final class RemoteHubs {

    private RemoteHubs() {
    }

    static Hub create(URI uri, Codec<?> codec, ReactivePubSubProperties properties) {
        RemoteHubOptions options = RemoteHubOptions.defaults().subscribeDefaults(properties.subscribeDefaults());
        String username = properties.username();
        String password = properties.password();
        if (username != null || password != null) {
            options = options.credentials(username == null ? "" : username, password == null ? "" : password);
        }
        return RemoteHub.create(uri.getHost(), uri.getPort(), codec, options);
    }
}
