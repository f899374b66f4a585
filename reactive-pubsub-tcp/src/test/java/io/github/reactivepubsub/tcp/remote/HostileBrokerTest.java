package io.github.reactivepubsub.tcp.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivepubsub.ConnectionStatus;
import io.github.reactivepubsub.HubEvent;
import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.Message;
import io.github.reactivepubsub.TopicOptions;
import io.github.reactivepubsub.codec.Codec;
import io.github.reactivepubsub.codec.Codecs;
import io.github.reactivepubsub.session.Closer;
import io.github.reactivepubsub.session.Session;
import io.github.reactivepubsub.tcp.remote.ScriptedBroker.Connection;
import io.github.reactivepubsub.tcp.wire.DeclarationRefusedFrame;
import io.github.reactivepubsub.tcp.wire.DeclareFrame;
import io.github.reactivepubsub.tcp.wire.EventFrame;
import io.github.reactivepubsub.tcp.wire.Frame;
import io.github.reactivepubsub.tcp.wire.HeartbeatFrame;
import io.github.reactivepubsub.tcp.wire.MessageFrame;
import io.github.reactivepubsub.tcp.wire.SubscribeFrame;
import io.github.reactivepubsub.tcp.wire.SubscriptionEndFrame;
import io.github.reactivepubsub.tcp.wire.TopicFrame;
import io.github.reactivepubsub.tcp.wire.TopicOptionsFrame;
import io.github.reactivepubsub.tcp.wire.WelcomeFrame;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;
import reactor.test.util.LoggerUtils;
import reactor.test.util.TestLogger;

/**
 * A hostile broker, played frame by frame in memory on a virtual clock: a WELCOME outside what the client offered, a
 * version 2 frame on a version 1 connection, a mirror of topics grown without end, TOPIC_OPTIONS for topics it never
 * announces, and text meant to forge log lines. Each violation costs the broker its connection (closed, never left
 * open), with a {@link io.github.reactivepubsub.ProtocolException} naming it, and the hub reconnects; its text only
 * ever reaches logs and exceptions escaped.
 */
class HostileBrokerTest {

    private static final Duration BACKOFF = Duration.ofSeconds(1);

    @RegisterExtension
    final Closer closer = new Closer();
    private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    private final ScriptedBroker broker = new ScriptedBroker(clock);
    private final TestLogger log = new TestLogger(false);

    @BeforeEach
    void captureLogs() {
        LoggerUtils.enableCaptureWith(log);
    }

    @AfterEach
    void stop() {
        LoggerUtils.disableCapture();
        clock.dispose();
    }

    private RemoteHub hub(RemoteHubOptions options) {
        return hub(options, Codecs.utf8());
    }

    private RemoteHub hub(RemoteHubOptions options, Codec<?> codec) {
        return hub(broker.connector(), options, codec);
    }

    private RemoteHub hub(Supplier<Mono<Session<Frame, Frame>>> connector, RemoteHubOptions options, Codec<?> codec) {
        return closer.add(new RemoteHub(connector, codec, options.scheduler(clock).backoff(BACKOFF, BACKOFF, 0),
                "scripted:1"), RemoteHub::close);
    }

    /**
     * The connection was closed for the broker's violation (no socket left open), the loss was logged with a
     * {@code ProtocolException} saying {@code reason}, and the hub connects again after its back-off.
     */
    private void assertClosedForAndReconnects(Connection c, RemoteHub hub, String reason) {
        assertThat(c.client.isClosed()).as("the client closed the connection").isTrue();
        String logged = log.getOutContent() + log.getErrContent();
        assertThat(logged.lines().filter(line -> line.contains("io.github.reactivepubsub.ProtocolException: ")
                && line.contains(reason))).as("a loss logged with a ProtocolException saying \"%s\": %s", reason,
                logged).isNotEmpty();
        assertThat(hub.currentStatus()).isEqualTo(ConnectionStatus.DISCONNECTED);
        int attempts = broker.attempts();
        clock.advanceTimeBy(BACKOFF);
        assertThat(broker.attempts()).as("reconnected after the back-off").isEqualTo(attempts + 1);
    }

    @Test
    void aWelcomeWithoutHeartbeatIntervalClosesTheConnectionInsteadOfLeakingIt() {
        RemoteHub hub = hub(RemoteHubOptions.defaults());
        Connection c = broker.latest();
        c.send(new WelcomeFrame(2, 0, 65_535, 16, 1_024, 0));
        assertClosedForAndReconnects(c, hub, "sent WELCOME with heartbeatMillis 0; expected 1..2147483647 ms");
    }

    @Test
    void anExceptionWhileHandlingTheHandshakeClosesTheConnection() {
        // a session whose heartbeats cannot start: whatever throws while a frame is handled must not keep the socket
        Supplier<Mono<Session<Frame, Frame>>> connector = () -> broker.connector().get().map(session -> {
            @SuppressWarnings("unchecked")
            Session<Frame, Frame> failing = (Session<Frame, Frame>) Proxy.newProxyInstance(
                    Session.class.getClassLoader(), new Class<?>[] {Session.class}, (proxy, method, args) -> {
                        if (method.getName().equals("startHeartbeats")) {
                            throw new IllegalStateException("heartbeats refused by the test");
                        }
                        try {
                            return method.invoke(session, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
            return failing;
        });
        RemoteHub hub = hub(connector, RemoteHubOptions.defaults(), Codecs.utf8());
        Connection c = broker.latest().welcome(2);
        assertThat(c.client.isClosed()).as("the client closed the connection").isTrue();
        assertThat(log.getErrContent()).contains("handling a frame of broker client failed; closing the connection");
        assertThat(hub.currentStatus()).isEqualTo(ConnectionStatus.DISCONNECTED);
        clock.advanceTimeBy(BACKOFF);
        assertThat(broker.attempts()).as("reconnected after the back-off").isEqualTo(2);
    }

    @Test
    void aWelcomeWithAVersionTheClientDidNotOfferIsAProtocolError() {
        RemoteHub hub = hub(RemoteHubOptions.defaults());
        Connection c = broker.latest();
        c.welcome(3);
        assertClosedForAndReconnects(c, hub, "sent WELCOME with version 3; expected one of the versions HELLO "
                + "offered, 1..2");
        c = broker.latest();
        c.welcome(0);
        assertClosedForAndReconnects(c, hub, "sent WELCOME with version 0; expected one of the versions HELLO "
                + "offered, 1..2");
        broker.latest().welcome(2);
        assertThat(hub.currentStatus()).isEqualTo(ConnectionStatus.CONNECTED);
    }

    @Test
    void version2FramesOnAVersion1ConnectionAreProtocolErrors() {
        RemoteHub hub = hub(RemoteHubOptions.defaults());
        Connection c = broker.latest().welcome(1);
        assertThat(hub.currentStatus()).isEqualTo(ConnectionStatus.CONNECTED);
        c.send(new TopicOptionsFrame(2, Key.parse("v1.topic")));
        assertClosedForAndReconnects(c, hub, "sent TOPIC_OPTIONS, a version 2 frame, on a version 1 connection");
        assertThat(hub.topicOptions(Key.parse("v1.topic"))).isEmpty();

        c = broker.latest().welcome(1);
        c.send(new DeclarationRefusedFrame(1, "no"));
        assertClosedForAndReconnects(c, hub, "sent DECLARATION_REFUSED, a version 2 frame, on a version 1 "
                + "connection");

        c = broker.latest();
        c.send(new TopicOptionsFrame(2, Key.parse("early.topic")));
        assertClosedForAndReconnects(c, hub, "sent TOPIC_OPTIONS, a version 2 frame, on a connection not welcomed "
                + "yet");
    }

    @Test
    void aSnapshotLargerThanTheMirrorsBoundIsRefusedAtWelcome() {
        RemoteHub hub = hub(RemoteHubOptions.defaults().maxMirroredTopics(2, 1_000));
        Connection c = broker.latest();
        c.send(new WelcomeFrame(2, 60_000, 65_535, 16, 1_024, 3));
        assertClosedForAndReconnects(c, hub, "sent WELCOME announcing 3 snapshot topics; expected at most 2 "
                + "(RemoteHubOptions.maxMirroredTopics)");
    }

    @Test
    void eventsWithEverNewTopicsStopAtTheMirrorsBoundOfTopics() {
        RemoteHub hub = hub(RemoteHubOptions.defaults().maxMirroredTopics(2, 1_000));
        Connection c = broker.latest().welcome(2);
        c.send(added("t.1"), added("t.2"), new EventFrame(new HubEvent.Removed(Key.parse("t.1"), 0)), added("t.3"));
        assertThat(hub.topics(Key.parse("**"))).as("a topic gone frees its place")
                .containsExactlyInAnyOrder(Key.parse("t.2"), Key.parse("t.3"));
        assertThat(hub.currentStatus()).isEqualTo(ConnectionStatus.CONNECTED);
        c.send(added("t.4"));
        assertClosedForAndReconnects(c, hub, "sent topic 't.4', but the mirror of its topics already holds 2 "
                + "topics; expected at most 2 (RemoteHubOptions.maxMirroredTopics)");
        assertThat(hub.subscriberCount(Key.parse("t.4"))).isZero();
    }

    @Test
    void aSnapshotBeyondTheMirrorsBoundOfKeyBytesIsRefused() {
        RemoteHub hub = hub(RemoteHubOptions.defaults().maxMirroredTopics(100, 10));
        Connection c = broker.latest();
        c.send(new WelcomeFrame(2, 60_000, 65_535, 16, 1_024, 2), new TopicFrame(1, Key.parse("abcd.e")),
                new TopicFrame(1, Key.parse("fghij.k")));
        assertClosedForAndReconnects(c, hub, "sent topic 'fghij.k', but the mirror's keys would take 13 bytes; "
                + "expected at most 10 (RemoteHubOptions.maxMirroredTopics)");
    }

    @Test
    void topicOptionsMustComeRightBeforeTheirTopicsTopicOrJoiningEvent() {
        RemoteHub hub = hub(RemoteHubOptions.defaults());
        Key replayed = Key.parse("r.k");
        Connection c = broker.latest();
        c.send(new WelcomeFrame(2, 60_000, 65_535, 16, 1_024, 1), new TopicOptionsFrame(2, replayed),
                HeartbeatFrame.INSTANCE, new TopicFrame(1, replayed));
        assertThat(hub.currentStatus()).isEqualTo(ConnectionStatus.CONNECTED);
        assertThat(hub.topicOptions(replayed)).contains(TopicOptions.defaults().replay(2));
        c.send(new TopicOptionsFrame(3, Key.parse("x.y")), added("x.y"));
        assertThat(hub.topicOptions(Key.parse("x.y"))).contains(TopicOptions.defaults().replay(3));

        c.send(new TopicOptionsFrame(4, Key.parse("never.announced")), added("z.z"));
        assertClosedForAndReconnects(c, hub, "sent TOPIC_OPTIONS of 'never.announced' followed by EVENT of 'z.z'; "
                + "expected the TOPIC or joining EVENT of the same topic");
        assertThat(hub.topicOptions(Key.parse("never.announced"))).isEmpty();

        c = broker.latest().welcome(2);
        c.send(new TopicOptionsFrame(1, Key.parse("o.1")), new TopicOptionsFrame(1, Key.parse("o.2")));
        assertClosedForAndReconnects(c, hub, "sent TOPIC_OPTIONS of 'o.2' after TOPIC_OPTIONS of 'o.1'; expected "
                + "the TOPIC or joining EVENT of 'o.1' between them");
    }

    @Test
    void aDeclarationRefusalIsLoggedEscapedAndCut() {
        RemoteHub hub = hub(RemoteHubOptions.defaults());
        Connection c = broker.latest().welcome(2);
        hub.declare(Key.parse("d.k"), TopicOptions.defaults().replay(1));
        int id = c.received(DeclareFrame.class).get(0).id();
        c.send(new DeclarationRefusedFrame(id, "busy\r\nERROR forged line " + "z".repeat(1_000)));
        assertThat(log.getErrContent()).contains("refused the declaration of topic 'd.k'")
                .contains("busy\\r\\nERROR forged line").doesNotContain("\r\nERROR forged")
                .doesNotContain("z".repeat(600));
        assertThat(hub.currentStatus()).isEqualTo(ConnectionStatus.CONNECTED);
    }

    @Test
    void aSubscriptionEndsDetailReachesTheSubscriberEscaped() {
        RemoteHub hub = hub(RemoteHubOptions.defaults());
        Connection c = broker.latest().welcome(2);
        AtomicReference<Throwable> error = new AtomicReference<>();
        hub.subscribe(Key.parse("s.k")).subscribe(m -> { }, error::set);
        int id = c.received(SubscribeFrame.class).get(0).id();
        c.send(new SubscriptionEndFrame(id, SubscriptionEndFrame.Reason.FAILED, "boom\nERROR forged"));
        assertThat(error.get()).isInstanceOf(RemoteSubscriptionException.class)
                .hasMessageContaining("boom\\nERROR forged").hasMessageNotContaining("\n");
    }

    @Test
    void anUndecodablePayloadFailsTheSubscriberWithTheCodecsMessageAndTheKeyEscaped() {
        Codec<String> quoting = new Codec<>() {
            @Override
            public byte[] encode(String value) {
                return value.getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public String decode(ByteBuffer buffer) {
                throw new IllegalArgumentException("cannot read " + StandardCharsets.UTF_8.decode(buffer));
            }
        };
        RemoteHub hub = hub(RemoteHubOptions.defaults(), quoting);
        Connection c = broker.latest().welcome(2);
        AtomicReference<Throwable> error = new AtomicReference<>();
        hub.subscribe(Key.parse("*.k")).subscribe(m -> { }, error::set);
        int id = c.received(SubscribeFrame.class).get(0).id();
        c.send(new MessageFrame(id, Key.parse("caf\u00e9.k"), "x\r\nERROR forged".getBytes(StandardCharsets.UTF_8)));
        assertThat(error.get()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("payload of a message to 'caf\\xe9.k' for subscriber of '*.k'")
                .hasMessageContaining("cannot read x\\r\\nERROR forged").hasMessageNotContaining("\r")
                .hasNoCause();
    }

    @Test
    void aMessageBeyondTheCreditIsLoggedWithItsKeyEscaped() {
        RemoteHub hub = hub(RemoteHubOptions.defaults());
        Connection c = broker.latest().welcome(2);
        hub.<String>subscribe(Key.parse("*.k")).subscribe(new BaseSubscriber<Message<String>>() {
            @Override
            protected void hookOnSubscribe(Subscription subscription) {
                // requests nothing
            }
        });
        int id = c.received(SubscribeFrame.class).get(0).id();
        c.send(new MessageFrame(id, Key.parse("caf\u00e9.k"), "hi".getBytes(StandardCharsets.UTF_8)));
        assertThat(log.getErrContent()).contains("sent a message to 'caf\\xe9.k' beyond the credit")
                .doesNotContain("caf\u00e9");
    }

    private static EventFrame added(String topic) {
        return new EventFrame(new HubEvent.Added(Key.parse(topic), 1));
    }
}
