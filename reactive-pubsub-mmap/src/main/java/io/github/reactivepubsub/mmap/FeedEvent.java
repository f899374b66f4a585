package io.github.reactivepubsub.mmap;

import java.nio.file.Path;

/**
 * Something that happened to a subscriber other than a datagram: loss, a publisher restart or close, a corrupt
 * slot, the file's deletion, a stale publisher. Delivered on {@link MmapSubscriber#events()}, a side channel that
 * never holds back datagrams; the same facts are also kept as counters on the {@link MmapSubscriber}.
 */
public sealed interface FeedEvent {

    /**
     * The publisher overwrote data this subscriber had not read yet ({@code NATIVE} only); the subscriber
     * resynchronised to the newest message.
     *
     * @param lappedCount the subscriber's lap count, this lap included
     * @param bytesSkipped ring bytes skipped by this resynchronisation
     */
    record Lapped(long lappedCount, long bytesSkipped) implements FeedEvent {}

    /**
     * Exactly {@code messages} messages were lost just before the datagram with sequence {@code nextSequence}
     * ({@code NATIVE} only: sequence numbers make the count exact).
     *
     * @param messages messages lost in this gap
     * @param nextSequence the sequence of the first datagram after the gap
     * @param totalLost the subscriber's total, this gap included
     */
    record Lost(long messages, long nextSequence, long totalLost) implements FeedEvent {}

    /**
     * A new publisher instance (a new epoch, or a new file at the path) took over; reading resumed at its start.
     * Losses across a restart cannot be known and are not counted.
     *
     * @param previousEpoch the epoch read before ({@code 0} for {@code RTG}, which has none)
     * @param epoch the new epoch ({@code 0} for {@code RTG})
     * @param restartCount the subscriber's restart count, this one included
     */
    record Restarted(long previousEpoch, long epoch, long restartCount) implements FeedEvent {}

    /**
     * An {@code RTG} slot whose length field is outside 0..120 was skipped.
     *
     * @param slotOffset the slot's file offset
     * @param length the length found
     * @param corruptCount the subscriber's corrupt-slot count, this one included
     */
    record CorruptSlot(int slotOffset, long length, long corruptCount) implements FeedEvent {}

    /**
     * The file was removed from its path while mapped. Reading goes on from the mapping (a publisher that still
     * has it mapped keeps writing there); a new file at the path counts as a restart.
     *
     * @param path the path that no longer exists
     */
    record FileDeleted(Path path) implements FeedEvent {}

    /**
     * The {@code NATIVE} publisher says it is active but has not refreshed its heartbeat for longer than the
     * subscriber's stale timeout: it probably crashed.
     *
     * @param millisSinceHeartbeat age of the last heartbeat
     */
    record PublisherStale(long millisSinceHeartbeat) implements FeedEvent {}

    /** The {@code NATIVE} publisher closed the feed and everything it wrote has been delivered. */
    record PublisherClosed() implements FeedEvent {}
}
