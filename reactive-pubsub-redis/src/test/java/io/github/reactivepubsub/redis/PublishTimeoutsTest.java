package io.github.reactivepubsub.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The command timeouts of a client the hub creates: a publish has none (Lettuce schedules no timer for a timeout of
 * 0), every other command keeps the URI's.
 */
class PublishTimeoutsTest {

    private final PublishCommand.Timeouts timeouts = new PublishCommand.Timeouts(Duration.ofSeconds(7));

    @Test
    void publishesOfEveryKindHaveNoTimeout() {
        byte[] payload = "x".getBytes(StandardCharsets.UTF_8);
        assertThat(timeouts.getTimeout(PublishCommand.publish(false, "a.b", payload, null))).isZero();
        assertThat(timeouts.getTimeout(PublishCommand.publish(true, "a.b", payload, null))).isZero();
        assertThat(timeouts.getTimeout(PublishCommand.streamPublish(PublishCommand.STREAM_PUBLISH, "a.b", 10,
                payload, null))).isZero();
    }

    @Test
    void everyOtherCommandKeepsTheUrisTimeout() {
        Command<String, String, String> ping = new Command<>(CommandType.PING, new StatusOutput<>(StringCodec.UTF8),
                new CommandArgs<>(StringCodec.UTF8));
        Command<String, String, String> xread = new Command<>(CommandType.XREAD,
                new StatusOutput<>(StringCodec.UTF8), new CommandArgs<>(StringCodec.UTF8));
        assertThat(timeouts.getTimeout(ping)).isEqualTo(7_000);
        assertThat(timeouts.getTimeout(xread)).isEqualTo(7_000);
        assertThat(timeouts.getTimeUnit()).isEqualTo(TimeUnit.MILLISECONDS);
    }
}
