package io.github.reactivepubsub.tcp.broker;

import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * A bound on bytes held, nested in a parent bound: the broker's budget, and one per connection inside it. A
 * reservation succeeds only when it fits here and in every parent; a release returns the bytes to all of them.
 * Closing a connection's budget returns whatever it still holds to its parent and ignores later releases, so no
 * path that forgets a release (a frame discarded by an operator on cancellation) can shrink the broker's budget for
 * good.
 *
 * <p>Thread-safe and lock-free: reservations and releases come from publishing threads, event loops and the
 * connection's close.
 */
final class ByteBudget {

    private static final long CLOSED = Long.MIN_VALUE;

    private final String name;
    private final long limit;
    private final @Nullable ByteBudget parent;
    private final AtomicLong used = new AtomicLong();

    ByteBudget(String name, long limit, @Nullable ByteBudget parent) {
        this.name = name;
        this.limit = limit;
        this.parent = parent;
    }

    /**
     * @param bytes how many bytes to hold
     * @return {@code null} when reserved, else the budget that has no room (this one or a parent)
     */
    @Nullable ByteBudget tryReserve(long bytes) {
        if (parent != null) {
            ByteBudget full = parent.tryReserve(bytes);
            if (full != null) {
                return full;
            }
        }
        for (;;) {
            long u = used.get();
            if (u == CLOSED || u + bytes > limit) {
                if (parent != null) {
                    parent.release(bytes);
                }
                return this;
            }
            if (used.compareAndSet(u, u + bytes)) {
                return null;
            }
        }
    }

    /** Returns bytes reserved earlier (ignored once closed: the close returned them). */
    void release(long bytes) {
        for (;;) {
            long u = used.get();
            if (u == CLOSED) {
                return;
            }
            if (used.compareAndSet(u, u - bytes)) {
                break;
            }
        }
        if (parent != null) {
            parent.release(bytes);
        }
    }

    /** Refuses later reservations and returns what is still held to the parent. Idempotent. */
    void close() {
        long u = used.getAndSet(CLOSED);
        if (u != CLOSED && parent != null) {
            parent.release(u);
        }
    }

    /** @return the bytes held now (0 once closed) */
    long used() {
        long u = used.get();
        return u == CLOSED ? 0 : u;
    }

    long limit() {
        return limit;
    }

    @Override
    public String toString() {
        return name + " (" + used() + " of " + limit + " bytes)";
    }
}
