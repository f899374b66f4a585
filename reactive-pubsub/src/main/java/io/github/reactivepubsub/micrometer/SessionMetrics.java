package io.github.reactivepubsub.micrometer;

import io.github.reactivepubsub.session.SessionStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * Binds a {@link SessionStats} (the sessions or connections sharing it: a server's, a remote hub's) to a Micrometer
 * registry. Immutable; every setter returns a new instance.
 *
 * <pre>{@code
 * SessionMetrics.of(remoteHub.connectionStats(), "remote-hub").bindTo(registry);
 * }</pre>
 *
 * <h2>Meters</h2>
 * Every meter carries the tag {@code name} and the extra tags given.
 * <table>
 * <caption>Session meters</caption>
 * <tr><th>name</th><th>type</th><th>tags</th><th>what</th></tr>
 * <tr><td>{@code reactive.pubsub.session.frames}</td><td>counter</td><td>{@code direction}: {@code in},
 *     {@code out}</td><td>frames (messages)</td></tr>
 * <tr><td>{@code reactive.pubsub.session.bytes}</td><td>counter (bytes)</td><td>{@code direction}</td>
 *     <td>bytes of those frames</td></tr>
 * <tr><td>{@code reactive.pubsub.session.heartbeats.sent}</td><td>counter</td><td></td><td>heartbeats sent</td></tr>
 * <tr><td>{@code reactive.pubsub.session.heartbeats.missed}</td><td>counter</td><td></td><td>peers gone silent</td>
 *     </tr>
 * <tr><td>{@code reactive.pubsub.session.closes}</td><td>counter</td><td>{@code reason}: {@code normal},
 *     {@code timeout}, {@code protocol_error}, {@code error}</td><td>closes by
 *     {@link SessionStats.CloseReason}</td></tr>
 * <tr><td>{@code reactive.pubsub.session.open}</td><td>gauge</td><td></td><td>open now</td></tr>
 * </table>
 *
 * <p>Thread-safe (immutable). The meters hold the stats weakly (Micrometer's default): they read NaN once the
 * stats are gone.
 */
public final class SessionMetrics implements MeterBinder {

    private final SessionStats stats;
    private final String name;
    private final Tags tags;

    private SessionMetrics(SessionStats stats, String name, Tags tags) {
        this.stats = stats;
        this.name = name;
        this.tags = tags;
    }

    /**
     * @param stats the stats to bind
     * @param name the value of the {@code name} tag (e.g. {@code "broker"}, {@code "remote-hub"})
     * @return a binder without extra tags
     */
    public static SessionMetrics of(SessionStats stats, String name) {
        return new SessionMetrics(Objects.requireNonNull(stats, "stats"), Objects.requireNonNull(name, "name"),
                Tags.empty());
    }

    /**
     * @param extraTags tags added to every meter
     * @return a copy with those tags (replacing earlier ones)
     */
    public SessionMetrics tags(Iterable<Tag> extraTags) {
        return new SessionMetrics(stats, name, Tags.of(extraTags));
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Tags base = tags.and("name", name);
        HubMetrics.counter(registry, "session.frames", base.and("direction", "in"), stats, SessionStats::framesIn,
                "Frames received");
        HubMetrics.counter(registry, "session.frames", base.and("direction", "out"), stats, SessionStats::framesOut,
                "Frames sent");
        bytes(registry, base.and("direction", "in"), SessionStats::bytesIn);
        bytes(registry, base.and("direction", "out"), SessionStats::bytesOut);
        HubMetrics.counter(registry, "session.heartbeats.sent", base, stats, SessionStats::heartbeatsSent,
                "Heartbeats sent after idle intervals");
        HubMetrics.counter(registry, "session.heartbeats.missed", base, stats, SessionStats::heartbeatsMissed,
                "Peers that stayed silent past the tolerated heartbeat silence");
        for (SessionStats.CloseReason reason : SessionStats.CloseReason.values()) {
            HubMetrics.counter(registry, "session.closes", base.and("reason", HubMetrics.tagValue(reason)), stats,
                    s -> s.closes(reason), "Closes by reason");
        }
        HubMetrics.gauge(registry, "session.open", base, stats, SessionStats::open, "Open sessions or connections");
    }

    private void bytes(MeterRegistry registry, Tags tags, ToDoubleFunction<SessionStats> count) {
        FunctionCounter.builder("reactive.pubsub.session.bytes", stats, count)
                .tags(tags).baseUnit("bytes").description("Bytes of the frames")
                .register(registry);
    }

    @Override
    public String toString() {
        return "SessionMetrics[" + name + "]";
    }
}
