package io.github.reactivepubsub.spring;

import io.github.reactivepubsub.ConnectionStatus;
import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.Key;
import java.util.List;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import reactor.core.Disposable;

/**
 * The hub's health: its {@link ConnectionStatus} ({@code CONNECTED} is UP; {@code CONNECTING} UNKNOWN;
 * {@code DISCONNECTED} and {@code RECONNECTING} DOWN; {@code CLOSED} OUT_OF_SERVICE), with its topics and
 * subscribers as details.
 *
 * <p>Never blocks: the status is the last one {@link Hub#status()} reported (followed from construction on); the
 * details come from {@link Hub#topics(Key)} and {@link Hub#subscriberCount(Key)}, which every hub answers without a
 * round trip. It never calls {@link Hub#stats()}, which would switch an in-process hub's counting on while its
 * metrics are off.
 */
public final class HubHealthIndicator implements HealthIndicator, DisposableBean {

    private static final Key EVERY_TOPIC = Key.parse("**");

    private final Hub hub;
    private final String description;
    private final Disposable following;
    private volatile ConnectionStatus status = ConnectionStatus.CONNECTING;

    /**
     * @param hub the hub to report on
     * @param description what the hub is (shown as the {@code hub} detail, e.g. {@code tcp://broker:7400})
     */
    public HubHealthIndicator(Hub hub, String description) {
        this.hub = hub;
        this.description = description;
        this.following = hub.status().subscribe(s -> status = s);
    }

    @Override
    public Health health() {
        ConnectionStatus current = status;
        Health.Builder builder = switch (current) {
            case CONNECTED -> Health.up();
            case CONNECTING -> Health.unknown();
            case DISCONNECTED, RECONNECTING -> Health.down();
            case CLOSED -> Health.outOfService();
        };
        List<Key> topics = hub.topics(EVERY_TOPIC);
        int subscribers = 0;
        for (Key topic : topics) {
            subscribers += hub.subscriberCount(topic);
        }
        return builder.withDetail("status", current.name()).withDetail("hub", description)
                .withDetail("topics", topics.size()).withDetail("subscribers", subscribers).build();
    }

    @Override
    public void destroy() {
        following.dispose();
    }
}
