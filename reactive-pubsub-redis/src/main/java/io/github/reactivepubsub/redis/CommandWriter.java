package io.github.reactivepubsub.redis;

import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.protocol.RedisCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.Supplier;
import reactor.core.Exceptions;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.Logger;
import reactor.util.Loggers;
import reactor.util.concurrent.Queues;

/**
 * The only writer of a hub's command connection: publishes are pipelined in batches, one write and one flush per
 * batch, and every other use of the connection (queries, stream reads, cluster node commands) runs in the same
 * order, on the same thread. Also the connection's window: at most {@code maxInFlight} publishes sent and not yet
 * answered.
 *
 * <h2>Why a writer of our own</h2>
 * Lettuce writes and flushes every command by itself (a task handed to the connection's event loop and one
 * {@code write} system call each, and one read at the server each), which held both the hub and raw Lettuce to about
 * 70 k publishes/s here. Lettuce's documented batching, {@code setAutoFlushCommands(false)} with
 * {@code flushCommands()}, is connection-wide and, its documentation warns, only reliable with one thread using the
 * connection: a hub's command connection is used by every publishing thread, the stream reads and the queries. Its
 * command interfaces with {@code @BatchSize} / {@code CommandBatching} batch by count and still leave the end of a
 * burst to an explicit flush. So the hub queues the commands itself and hands each batch to Lettuce's
 * {@link StatefulConnection#dispatch(java.util.Collection)}, which writes them all and flushes once.
 *
 * <p>A single writing thread matters beyond batching: Lettuce guards each connection with a lock
 * ({@code SharedLock}) that a writer waits for while another thread holds it. On a Reactor or Netty non-blocking
 * thread under BlockHound that wait fails in the middle of Lettuce's {@code write}, whose cleanup then leaves the
 * lock's writer count negative, and every later write on the connection spins forever. With one writer, nothing but
 * Lettuce's own close and disconnect handling competes for the lock; and the writer runs on
 * {@link Schedulers#boundedElastic()}, where a short wait on it is allowed.
 *
 * <h2>Concurrency</h2>
 * Any thread may {@link #write}, {@link #execute} or {@link #call}; they never block (a lock-free queue, a counter,
 * and at most one task handed to the scheduler per batch). The drain is the usual {@code wip} loop:
 * <ol>
 *   <li>a producer offers its item, then increments {@code wip}; the one that raises it from 0 schedules the drain,
 *       so one drain runs at a time, and the offer happens before the drain's poll (the queue's offer publishes the
 *       item, and the drain starts after the increment that follows it);</li>
 *   <li>the drain writes what it polled, in order, then subtracts what it accounted for; an item offered after its
 *       last poll has raised {@code wip} above that, so the drain loops instead of leaving the item behind;</li>
 *   <li>a drain scheduled after the previous one reached 0 may start before that thread has returned: the previous
 *       one does nothing after its last decrement.</li>
 * </ol>
 * The items of one producing thread keep their order; so do publishes and the commands that read what they wrote.
 * The window is an atomic counter: reserved by the publishing thread before it writes, given back by the command when
 * Redis answers it, fails it or the connection cancels it ({@link PublishCommand}).
 */
final class CommandWriter implements Runnable {

    private static final Logger LOG = Loggers.getLogger(CommandWriter.class);

    /** Commands handed to Lettuce in one write: bounds the latency a batch adds and the size of one flush. */
    static final int MAX_BATCH = 1_024;

    private final StatefulConnection<String, byte[]> connection;
    private final int maxInFlight;
    private final Scheduler scheduler;
    /** {@link RedisCommand}s to write in batches, and {@link Runnable}s to run in between, in order. */
    private final Queue<Object> queue = Queues.unboundedMultiproducer().get();

    private volatile int wip;
    private static final AtomicIntegerFieldUpdater<CommandWriter> WIP =
            AtomicIntegerFieldUpdater.newUpdater(CommandWriter.class, "wip");

    private volatile int inFlight;
    private static final AtomicIntegerFieldUpdater<CommandWriter> IN_FLIGHT =
            AtomicIntegerFieldUpdater.newUpdater(CommandWriter.class, "inFlight");

    /** An error reply to a publish was logged at WARN once; later ones at DEBUG (a denied PUBLISH repeats). */
    private volatile boolean errorLogged;

    /**
     * @param connection the command connection (a cluster connection routes each command by its key)
     * @param maxInFlight the window
     */
    CommandWriter(StatefulConnection<String, byte[]> connection, int maxInFlight) {
        this.connection = connection;
        this.maxInFlight = maxInFlight;
        this.scheduler = Schedulers.boundedElastic();
    }

    /**
     * Reserves {@code n} places in the window.
     *
     * @return false, reserving nothing, when fewer are free
     */
    boolean tryAcquire(int n) {
        for (;;) {
            int current = inFlight;
            if (current + n > maxInFlight) {
                return false;
            }
            if (IN_FLIGHT.compareAndSet(this, current, current + n)) {
                return true;
            }
        }
    }

    /** Gives back one place of the window (a publish was answered, failed or cancelled, or not written at all). */
    void release(int n) {
        IN_FLIGHT.addAndGet(this, -n);
    }

    /** @return the publishes sent and not yet answered */
    int inFlight() {
        return inFlight;
    }

    /** Writes a command after everything queued before it, in the next batch. */
    void write(RedisCommand<String, byte[], ?> command) {
        queue.offer(command);
        schedule();
    }

    /** Runs an action on the writer's thread after everything queued before it (it may use the connection). */
    void execute(Runnable action) {
        queue.offer(action);
        schedule();
    }

    /**
     * Issues a command through Lettuce's API on the writer's thread, in order with everything else.
     *
     * @param command issues the command (e.g. {@code () -> async.xrevrange(...)}) and returns its reply
     * @return the reply; failed when issuing it throws
     */
    <T> CompletableFuture<T> call(Supplier<? extends CompletionStage<T>> command) {
        CompletableFuture<T> result = new CompletableFuture<>();
        execute(() -> command.get().whenComplete((value, error) -> {
            if (error != null) {
                result.completeExceptionally(error);
            } else {
                result.complete(value);
            }
        }));
        return result;
    }

    /**
     * Closes the connection after writing everything queued before (what {@code publish} reported as sent is
     * written first). Commands queued later are refused by the closed connection.
     *
     * @return completes once the connection is closed
     */
    CompletableFuture<Void> close() {
        return call(connection::closeAsync);
    }

    /** A publish of this writer got an error reply (e.g. a denied channel): logged, the publish was fire-and-forget. */
    void errorReply(String command, String error) {
        if (!errorLogged) {
            errorLogged = true;
            LOG.warn("redis replied to {} with an error: {} (logged once per connection; later ones at debug level)",
                    command, ChannelNames.printable(error));
        } else if (LOG.isDebugEnabled()) {
            LOG.debug("redis replied to {} with an error: {}", command, ChannelNames.printable(error));
        }
    }

    private void schedule() {
        if (WIP.getAndIncrement(this) == 0) {
            scheduler.schedule(this);
        }
    }

    /** The drain: on the scheduler, one at a time (see the class notes). */
    @Override
    public void run() {
        int missed = 1;
        List<RedisCommand<String, byte[], ?>> batch = new ArrayList<>();
        for (;;) {
            Object item;
            while ((item = queue.poll()) != null) {
                if (item instanceof RedisCommand<?, ?, ?>) {
                    @SuppressWarnings("unchecked")
                    RedisCommand<String, byte[], ?> command = (RedisCommand<String, byte[], ?>) item;
                    batch.add(command);
                    if (batch.size() == MAX_BATCH) {
                        batch = dispatch(batch);
                    }
                } else {
                    batch = dispatch(batch);
                    runAction((Runnable) item);
                }
            }
            batch = dispatch(batch);
            missed = WIP.addAndGet(this, -missed);
            if (missed == 0) {
                return;
            }
        }
    }

    /** Hands a batch to Lettuce: one write, one flush. @return an empty list for the next batch */
    private List<RedisCommand<String, byte[], ?>> dispatch(List<RedisCommand<String, byte[], ?>> batch) {
        if (batch.isEmpty()) {
            return batch;
        }
        try {
            connection.dispatch(batch);
        } catch (RuntimeException | Error e) {
            Exceptions.throwIfJvmFatal(e);
            // not written: complete them, so that their windows and callers are released
            for (RedisCommand<String, byte[], ?> command : batch) {
                command.completeExceptionally(e);
            }
            LOG.warn("writing {} commands failed: {}", batch.size(), e.toString());
        }
        return new ArrayList<>(Math.min(MAX_BATCH, batch.size() * 2));
    }

    private static void runAction(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException | Error e) {
            Exceptions.throwIfJvmFatal(e);
            LOG.warn("a command on the redis command connection failed to start: {}", e.toString());
        }
    }
}
