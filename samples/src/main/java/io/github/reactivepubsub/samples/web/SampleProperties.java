package io.github.reactivepubsub.samples.web;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The app's settings, under {@code sample.*} ({@code application.properties}, {@code -Dsample.seed=7},
 * {@code --sample.tick-interval=50ms}...).
 *
 * @param seed the simulator's random-walk seed: the same seed replays the same market
 * @param tickInterval the exchange timer's period; each tick sends two order book updates (FUTURE, ETF) and
 *     trade ticks for what traded (about 0.8 a tick)
 * @param streamBufferSize messages held for each {@code /api/stream} connection while the client does not keep up;
 *     beyond that the oldest are dropped ({@code DROP_OLDEST}) and counted
 * @param feed how the simulator's datagrams reach the hub: {@code mmap} (through a Ready Trader Go shared-memory
 *     file, the default) or {@code direct} (decoded and published in-process, no file)
 * @param feedFile with {@code mmap}: the RTG file to write and read, kept afterwards (Ready Trader Go never deletes
 *     it either); unset: a new file under {@code /dev/shm} for this run, deleted at shutdown
 */
@ConfigurationProperties(prefix = "sample")
public record SampleProperties(
        @DefaultValue("42") long seed,
        @DefaultValue("100ms") Duration tickInterval,
        @DefaultValue("256") int streamBufferSize,
        @DefaultValue("mmap") Feed feed,
        @Nullable String feedFile) {

    /** The feed transports. */
    public enum Feed {
        /** Through a Ready Trader Go shared-memory file: {@code MmapPublisher}, {@code MmapSubscriber}, bridge. */
        MMAP,
        /** Decoded and published on the simulator's thread, no file. */
        DIRECT
    }
}
