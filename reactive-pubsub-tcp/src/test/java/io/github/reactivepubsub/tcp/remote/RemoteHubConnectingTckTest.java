package io.github.reactivepubsub.tcp.remote;

/**
 * {@link RemoteHubTckTest} with each Flux subscribed while its hub is still connecting: the subscription is sent,
 * with the demand the TCK made meanwhile as its first credit, once the connection is up.
 */
public class RemoteHubConnectingTckTest extends RemoteHubTckTest {

    public RemoteHubConnectingTckTest() {
        super(false);
    }
}
