package io.github.reactivepubsub.redis;

import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.RedisCommand;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * A fire-and-forget publish ({@code PUBLISH}, {@code SPUBLISH}, or the replay topics' script) that gives its place in
 * the {@link CommandWriter}'s window back exactly once: when Redis answers it, or the connection fails or cancels it.
 * A plain Lettuce {@link Command} extended as Lettuce documents for custom commands (its response handler calls
 * {@link #complete()}), instead of an {@code AsyncCommand} future and a callback per publish.
 *
 * <p>Thread-safe completion: Lettuce completes a command on the connection's event loop and cancels it on the thread
 * that closes the connection; the {@code released} flag makes the first of them give the place back.
 */
final class PublishCommand extends Command<String, byte[], Long> {

    /** Appends to the stream (trimmed to about ARGV[1] entries) and publishes; returns the receivers. */
    private static final String XADD = "redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'p', ARGV[2])\n";
    static final byte[] STREAM_PUBLISH = (XADD + "return redis.call('PUBLISH', KEYS[1], ARGV[2])")
            .getBytes(StandardCharsets.UTF_8);
    static final byte[] STREAM_SPUBLISH = (XADD + "return redis.call('SPUBLISH', KEYS[1], ARGV[2])")
            .getBytes(StandardCharsets.UTF_8);
    static final byte[] STREAM_SPUBLISH_AND_PUBLISH = (XADD
            + "return redis.call('SPUBLISH', KEYS[1], ARGV[2]) + redis.call('PUBLISH', KEYS[1], ARGV[2])")
            .getBytes(StandardCharsets.UTF_8);

    private final CommandWriter writer;

    private volatile int released;
    private static final AtomicIntegerFieldUpdater<PublishCommand> RELEASED =
            AtomicIntegerFieldUpdater.newUpdater(PublishCommand.class, "released");

    private PublishCommand(CommandType type, CommandArgs<String, byte[]> args, CommandWriter writer) {
        super(type, new IntegerOutput<>(Backend.CODEC), args);
        this.writer = writer;
    }

    /** @return {@code PUBLISH channel payload} (or {@code SPUBLISH} when {@code sharded}) */
    static PublishCommand publish(boolean sharded, String channel, byte[] payload, CommandWriter writer) {
        return new PublishCommand(sharded ? CommandType.SPUBLISH : CommandType.PUBLISH,
                args(channel, payload), writer);
    }

    /** @return the replay topics' script: {@code EVAL script 1 stream n payload} */
    static PublishCommand streamPublish(byte[] script, String stream, int replay, byte[] payload,
            CommandWriter writer) {
        return new PublishCommand(CommandType.EVAL, scriptArgs(script, stream, replay, payload), writer);
    }

    /** The arguments of {@code PUBLISH} / {@code SPUBLISH}: the channel is the key (cluster routing uses it). */
    static CommandArgs<String, byte[]> args(String channel, byte[] payload) {
        return new CommandArgs<>(Backend.CODEC).addKey(channel).addValue(payload);
    }

    /** The arguments of the replay topics' {@code EVAL}: the stream is the one key. */
    static CommandArgs<String, byte[]> scriptArgs(byte[] script, String stream, int replay, byte[] payload) {
        return new CommandArgs<>(Backend.CODEC).add(script).add(1).addKey(stream)
                .addValue(Integer.toString(replay).getBytes(StandardCharsets.US_ASCII)).addValue(payload);
    }

    @Override
    public void complete() {
        super.complete();
        String error = getOutput() == null ? null : getOutput().getError();
        if (error != null) {
            writer.errorReply(getType().toString(), error);
        }
        release();
    }

    @Override
    public boolean completeExceptionally(Throwable throwable) {
        boolean done = super.completeExceptionally(throwable);
        release();
        return done;
    }

    @Override
    public void cancel() {
        super.cancel();
        release();
    }

    private void release() {
        if (RELEASED.compareAndSet(this, 0, 1)) {
            writer.release(1);
        }
    }

    /**
     * The command timeouts of a client the hub creates itself: none for publishes, the URI's timeout for every other
     * command. A publish already gives its place back when Redis answers or the connection fails or closes, and a
     * timeout per publish costs a timer entry created and cancelled each time (Lettuce's {@code HashedWheelTimer},
     * a thread of its own), which at a few hundred thousand publishes a second is CPU the publishing path needs.
     * Queries and stream reads keep their bound.
     */
    static final class Timeouts extends TimeoutOptions.TimeoutSource {

        private final long otherMillis;

        /** @param others the timeout of every command but a publish */
        Timeouts(Duration others) {
            this.otherMillis = others.toMillis();
        }

        /** @return 0 (no timeout) for a publish, else the other commands' timeout, in milliseconds */
        @Override
        public long getTimeout(RedisCommand<?, ?, ?> command) {
            return command instanceof PublishCommand ? 0 : otherMillis;
        }

        @Override
        public TimeUnit getTimeUnit() {
            return TimeUnit.MILLISECONDS;
        }
    }
}
