package io.github.reactivepubsub.tcp.micrometer;

import io.github.reactivepubsub.micrometer.SessionMetrics;
import io.github.reactivepubsub.tcp.soup.RejectReason;
import io.github.reactivepubsub.tcp.soup.SoupStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Locale;
import java.util.Objects;

/**
 * Binds the {@link SoupStats} of a SoupBinTCP server or client to a Micrometer registry. Immutable.
 *
 * <pre>{@code
 * SoupMetrics.of(server.stats(), "itch-server").bindTo(registry);
 * }</pre>
 *
 * <h2>Meters</h2>
 * Every meter carries the tag {@code name} and the extra tags given.
 * <table>
 * <caption>SoupBinTCP meters</caption>
 * <tr><th>name</th><th>type</th><th>tags</th><th>what</th></tr>
 * <tr><td>{@code reactive.pubsub.soup.logins}</td><td>counter</td><td>{@code result}: {@code accepted},
 *     {@code rejected}; {@code reason}: {@code none}, {@code not_authorized}, {@code session_not_available}</td>
 *     <td>logins answered (server) or answers received (client)</td></tr>
 * <tr><td>{@code reactive.pubsub.soup.sequence}</td><td>gauge</td><td></td><td>server: the current session's
 *     next sequence number; client: the next one it expects</td></tr>
 * <tr><td>{@code reactive.pubsub.soup.gaps}</td><td>counter</td><td></td><td>client: logins accepted later than
 *     requested</td></tr>
 * <tr><td>{@code reactive.pubsub.soup.skipped}</td><td>counter</td><td></td><td>client: sequence numbers those
 *     gaps skipped</td></tr>
 * <tr><td>{@code reactive.pubsub.session.*}</td><td colspan="3">the connections' packets, bytes, heartbeats and
 *     closes: see {@link SessionMetrics}</td></tr>
 * </table>
 *
 * <p>Thread-safe (immutable). The meters hold the stats weakly (Micrometer's default): they read NaN once the
 * stats are gone.
 */
public final class SoupMetrics implements MeterBinder {

    private final SoupStats stats;
    private final String name;
    private final Tags tags;

    private SoupMetrics(SoupStats stats, String name, Tags tags) {
        this.stats = stats;
        this.name = name;
        this.tags = tags;
    }

    /**
     * @param stats a server's or client's {@code stats()}
     * @param name the value of the {@code name} tag
     * @return a binder without extra tags
     */
    public static SoupMetrics of(SoupStats stats, String name) {
        return new SoupMetrics(Objects.requireNonNull(stats, "stats"), Objects.requireNonNull(name, "name"),
                Tags.empty());
    }

    /**
     * @param extraTags tags added to every meter
     * @return a copy with those tags (replacing earlier ones)
     */
    public SoupMetrics tags(Iterable<Tag> extraTags) {
        return new SoupMetrics(stats, name, Tags.of(extraTags));
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Tags base = tags.and("name", name);
        FunctionCounter.builder("reactive.pubsub.soup.logins", stats, SoupStats::loginsAccepted)
                .tags(base.and("result", "accepted", "reason", "none")).description("SoupBinTCP logins")
                .register(registry);
        for (RejectReason reason : RejectReason.values()) {
            FunctionCounter.builder("reactive.pubsub.soup.logins", stats, s -> s.loginsRejected(reason))
                    .tags(base.and("result", "rejected", "reason", reason.name().toLowerCase(Locale.ROOT)))
                    .description("SoupBinTCP logins").register(registry);
        }
        Gauge.builder("reactive.pubsub.soup.sequence", stats, SoupStats::sequence).tags(base)
                .description("The next sequence number").register(registry);
        FunctionCounter.builder("reactive.pubsub.soup.gaps", stats, SoupStats::gaps).tags(base)
                .description("Logins accepted at a later sequence number than requested")
                .register(registry);
        FunctionCounter.builder("reactive.pubsub.soup.skipped", stats, SoupStats::messagesSkipped).tags(base)
                .description("Sequence numbers skipped by gaps").register(registry);
        SessionMetrics.of(stats.connections(), name).tags(tags).bindTo(registry);
    }

    @Override
    public String toString() {
        return "SoupMetrics[" + name + "]";
    }
}
