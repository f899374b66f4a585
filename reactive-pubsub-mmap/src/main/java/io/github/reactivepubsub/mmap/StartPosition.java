package io.github.reactivepubsub.mmap;

/** Where a new subscriber starts reading. Joining is never counted as loss. */
public enum StartPosition {
    /**
     * {@code RTG}: slot 0, what Ready Trader Go's subscriber does (replays whatever the file holds; the layout's
     * default). {@code NATIVE}: position 0 while the ring has not wrapped (every message of this epoch),
     * otherwise like {@link #LATEST}.
     */
    START,
    /**
     * {@code RTG}: the writer's next slot, found by scanning for the first clear flag (racy by nature: a write
     * in progress may be seen or not). {@code NATIVE}: the most recent message is delivered first (the layout's
     * default).
     */
    LATEST,
    /**
     * Only datagrams published after joining. {@code RTG}: same as {@link #LATEST}. {@code NATIVE}: the current
     * tail.
     */
    TAIL
}
