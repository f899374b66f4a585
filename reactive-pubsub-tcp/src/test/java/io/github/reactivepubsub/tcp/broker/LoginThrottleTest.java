package io.github.reactivepubsub.tcp.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.codec.Codec;
import io.github.reactivepubsub.codec.Codecs;
import io.github.reactivepubsub.session.FrameDecoder;
import io.github.reactivepubsub.session.FrameEncoder;
import io.github.reactivepubsub.session.InMemoryConnections;
import io.github.reactivepubsub.session.Session;
import io.github.reactivepubsub.session.SessionOptions;
import io.github.reactivepubsub.tcp.remote.ErrorCode;
import io.github.reactivepubsub.tcp.wire.ErrorFrame;
import io.github.reactivepubsub.tcp.wire.Frame;
import io.github.reactivepubsub.tcp.wire.FrameCodec;
import io.github.reactivepubsub.tcp.wire.HelloFrame;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

/** Failed logins, in virtual time: answered after the delay; counted per address in windows; bounded state. */
class LoginThrottleTest {

    private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    private final PubSubServerOptions options = PubSubServerOptions.defaults().credentials("u", "p")
            .loginThrottle(3, Duration.ofMinutes(1), Duration.ofSeconds(1)).scheduler(clock);

    @AfterEach
    void stop() {
        clock.dispose();
    }

    @Test
    void anAddressThatUsedUpItsFailuresIsRefusedUntilItsWindowEnds() {
        LoginThrottle throttle = new LoginThrottle(options);
        for (int i = 0; i < 3; i++) {
            assertThat(throttle.allows("10.0.0.1")).isTrue();
            throttle.failed("10.0.0.1");
        }
        assertThat(throttle.allows("10.0.0.1")).isFalse();
        assertThat(throttle.allows("10.0.0.2")).as("other addresses are not affected").isTrue();
        clock.advanceTimeBy(Duration.ofSeconds(59));
        assertThat(throttle.allows("10.0.0.1")).isFalse();
        clock.advanceTimeBy(Duration.ofSeconds(1));
        assertThat(throttle.allows("10.0.0.1")).as("a new window").isTrue();
        throttle.failed("10.0.0.1");
        assertThat(throttle.allows("10.0.0.1")).isTrue();
    }

    @Test
    void theStateIsBoundedWhateverTheNumberOfAddresses() {
        LoginThrottle throttle = new LoginThrottle(options);
        for (int i = 0; i < 3 * LoginThrottle.MAX_ADDRESSES; i++) {
            throttle.failed("addr-" + i);
        }
        assertThat(throttle.addresses()).isEqualTo(LoginThrottle.MAX_ADDRESSES);
    }

    @Test
    void aFailedLoginIsAnsweredOnlyAfterTheDelay() {
        Hub hub = Hub.create();
        InMemoryConnections.Pair pair = InMemoryConnections.pair();
        SessionOptions timed = SessionOptions.defaults().scheduler(clock);
        Session<Frame, Frame> server = Session.create(pair.server(), FrameDecoder.lengthPrefixed(FrameCodec.LENIENT,
                65_535), FrameEncoder.lengthPrefixed(FrameCodec.STRICT), timed.name("server"));
        Session<Frame, Frame> client = Session.create(pair.client(), FrameDecoder.lengthPrefixed(FrameCodec.STRICT,
                65_535), FrameEncoder.lengthPrefixed(FrameCodec.STRICT), timed.name("client"));
        Mono.from(BrokerConnection.serve(hub, castCodec(), options, server)).subscribe();
        List<Frame> received = new CopyOnWriteArrayList<>();
        client.inbound().subscribe(received::add, e -> { });
        client.send(new HelloFrame(1, 1, "u", "wrong")).subscribe();
        clock.advanceTimeBy(Duration.ofMillis(999));
        assertThat(received).as("nothing before the delay").isEmpty();
        assertThat(server.isClosed()).isFalse();
        clock.advanceTimeBy(Duration.ofMillis(1));
        assertThat(received).singleElement().isInstanceOfSatisfying(ErrorFrame.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED));
        assertThat(server.isClosed()).isTrue();
        hub.close();
    }

    @SuppressWarnings("unchecked")
    private static Codec<Object> castCodec() {
        return (Codec<Object>) (Codec<?>) Codecs.utf8();
    }
}
