package io.github.reactivepubsub.spring;

import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.micrometer.SessionMetrics;
import io.github.reactivepubsub.tcp.remote.RemoteHub;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;

/**
 * The meters of a hub's connections to its broker: for a {@link RemoteHub}, the {@link SessionMetrics} of its
 * {@link RemoteHub#connectionStats()} (tag {@code name}, {@code remote-hub} unless {@link #name(String)} says
 * otherwise); nothing for a hub without such connections (in-process, Redis). Needs {@code reactive-pubsub-tcp} and
 * Micrometer on the class path.
 *
 * <p>The starter defines one (bean {@code reactivePubSubConnectionMetrics}) when the TCP module is there; a bean of
 * this type that the application defines replaces it, and Spring Boot binds either to every {@code MeterRegistry}:
 *
 * <pre>{@code
 * @Bean
 * HubConnectionMetrics brokerConnectionMetrics(Hub hub) {
 *     return HubConnectionMetrics.of(hub).name("market-broker");
 * }
 * }</pre>
 *
 * <p>Immutable and thread-safe; {@link #bindTo(MeterRegistry)} may be called for several registries.
 */
public final class HubConnectionMetrics implements MeterBinder {

    private final Hub hub;
    private final String name;

    private HubConnectionMetrics(Hub hub, String name) {
        this.hub = hub;
        this.name = name;
    }

    /**
     * @param hub the hub whose connections are measured (any hub: only a {@code RemoteHub} has meters to bind)
     * @return a binder with the {@code name} tag {@code remote-hub}
     */
    public static HubConnectionMetrics of(Hub hub) {
        return new HubConnectionMetrics(Objects.requireNonNull(hub, "hub"), "remote-hub");
    }

    /**
     * @param connectionsName the value of the meters' {@code name} tag
     * @return a copy with that name
     */
    public HubConnectionMetrics name(String connectionsName) {
        return new HubConnectionMetrics(hub, Objects.requireNonNull(connectionsName, "name"));
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        if (hub instanceof RemoteHub remote) {
            SessionMetrics.of(remote.connectionStats(), name).bindTo(registry);
        }
    }

    @Override
    public String toString() {
        return "HubConnectionMetrics[" + name + "]";
    }
}
