package io.github.reactivepubsub.tcp.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.reactivepubsub.ConnectionStatus;
import io.github.reactivepubsub.Hub;
import io.github.reactivepubsub.HubContract;
import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.Message;
import io.github.reactivepubsub.Overflow;
import io.github.reactivepubsub.TopicOptions;
import io.github.reactivepubsub.codec.Codecs;
import io.github.reactivepubsub.session.Await;
import io.github.reactivepubsub.session.Session;
import io.github.reactivepubsub.tcp.TcpSessionOptions;
import io.github.reactivepubsub.tcp.TcpSessions;
import io.github.reactivepubsub.tcp.broker.PubSubServer;
import io.github.reactivepubsub.tcp.broker.PubSubServerOptions;
import io.github.reactivepubsub.tcp.wire.CreditFrame;
import io.github.reactivepubsub.tcp.wire.DeclarationRefusedFrame;
import io.github.reactivepubsub.tcp.wire.DeclareFrame;
import io.github.reactivepubsub.tcp.wire.ErrorFrame;
import io.github.reactivepubsub.tcp.wire.Frame;
import io.github.reactivepubsub.tcp.wire.FrameCodec;
import io.github.reactivepubsub.tcp.wire.FramePayloads;
import io.github.reactivepubsub.tcp.wire.HelloFrame;
import io.github.reactivepubsub.tcp.wire.MessageFrame;
import io.github.reactivepubsub.tcp.wire.PublishFrame;
import io.github.reactivepubsub.tcp.wire.SubscribeFrame;
import io.github.reactivepubsub.tcp.wire.TopicFrame;
import io.github.reactivepubsub.tcp.wire.TopicOptionsFrame;
import io.github.reactivepubsub.tcp.wire.WelcomeFrame;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * Version negotiation: a version 1 client still works against this broker (and never sees a version 2 frame), a
 * version 2 client declares topics whose replay reaches late joiners anywhere, and against a version 1 broker
 * {@code declare} says it cannot.
 */
class ProtocolVersionTest {

    private static final Duration WAIT = HubContract.WAIT;
    private static final Key BOOK = Key.parse("v.book");

    private final Hub brokerHub = Hub.create();
    private final PubSubServer server = PubSubServer.bind(brokerHub, Codecs.utf8(), PubSubServerOptions.defaults(),
            "127.0.0.1", 0).block(WAIT);
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        server.disposeNow(WAIT);
        brokerHub.close();
    }

    private Session<Frame, Frame> raw() {
        Session<Frame, Frame> session = TcpSessions.connect("127.0.0.1", server.port(), FrameCodec.STRICT,
                FrameCodec.STRICT, TcpSessionOptions.defaults()).block(WAIT);
        toClose.add(() -> session.close().block(WAIT));
        return session;
    }

    private RemoteHub client() {
        RemoteHub hub = RemoteHub.create("127.0.0.1", server.port(), Codecs.utf8(), RemoteHubOptions.defaults());
        toClose.add(hub);
        hub.connected().block(WAIT);
        return hub;
    }

    @Test
    void aVersion1ClientSubscribesAndPublishesAndNeverSeesAVersion2Frame() {
        Disposable declared = brokerHub.declare(BOOK, TopicOptions.defaults().replay(1)); // would be announced in v2
        toClose.add(declared::dispose);
        Session<Frame, Frame> v1 = raw();
        v1.sendAll(Flux.just(new HelloFrame(1, 1, "", ""),
                new SubscribeFrame(1, 16, Overflow.ERROR, BOOK), new CreditFrame(1, 1),
                new PublishFrame(BOOK, "from v1".getBytes(StandardCharsets.UTF_8)))).subscribe();
        StepVerifier.create(v1.inbound().takeUntil(MessageFrame.class::isInstance))
                .assertNext(f -> assertThat(f).isInstanceOfSatisfying(WelcomeFrame.class,
                        w -> assertThat(w.version()).isEqualTo(1)))
                .assertNext(f -> assertThat(f).isEqualTo(new TopicFrame(0, BOOK))) // no TOPIC_OPTIONS before it
                .thenConsumeWhile(f -> !(f instanceof MessageFrame), f -> assertThat(f)
                        .isNotInstanceOfAny(TopicOptionsFrame.class, DeclarationRefusedFrame.class))
                .assertNext(f -> assertThat(FramePayloads.utf8(((MessageFrame) f).payload()))
                        .isEqualTo("from v1"))
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void aDeclareFromAVersion1ClientIsAProtocolError() {
        Session<Frame, Frame> v1 = raw();
        v1.sendAll(Flux.just(new HelloFrame(1, 1, "", ""), new DeclareFrame(1, 2, BOOK))).subscribe();
        StepVerifier.create(v1.inbound().filter(ErrorFrame.class::isInstance).cast(ErrorFrame.class))
                .assertNext(e -> assertThat(e.code()).isEqualTo(ErrorCode.PROTOCOL_ERROR))
                .expectComplete()
                .verify(WAIT);
        assertThat(brokerHub.topicOptions(BOOK)).isEmpty();
    }

    @Test
    void aVersion2DeclarationReplaysToLateJoinersAtTheBrokerAndAtOtherClients() {
        RemoteHub declaring = client();
        Disposable declaration = declaring.declare(BOOK, TopicOptions.defaults().replay(2));
        Await.until(WAIT, () -> brokerHub.topicOptions(BOOK).isPresent(), () -> "the DECLARE reached the broker");
        List<String> witness = new CopyOnWriteArrayList<>();
        Disposable witnessing = brokerHub.<String>subscribe(BOOK).subscribe(m -> witness.add(m.payload()));
        for (int i = 1; i <= 3; i++) {
            declaring.publish(BOOK, "m" + i);
        }
        Await.until(WAIT, () -> witness.size() == 3, () -> "the broker got " + witness);
        StepVerifier.create(brokerHub.<String>subscribe(BOOK).map(Message::payload).take(2))
                .expectNext("m2", "m3").expectComplete().verify(WAIT);

        RemoteHub other = client(); // learns the topic's options from the broker's snapshot (TOPIC_OPTIONS)
        assertThat(other.topicOptions(BOOK)).contains(TopicOptions.defaults().replay(2));
        assertThatThrownBy(() -> other.declare(BOOK, TopicOptions.defaults().replay(5)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("v.book");
        StepVerifier.create(other.<String>subscribe(BOOK).map(Message::payload).take(2))
                .expectNext("m2", "m3").expectComplete().verify(WAIT);

        witnessing.dispose();
        declaration.dispose();
        Await.until(WAIT, () -> brokerHub.topicOptions(BOOK).isEmpty(),
                () -> "the topic went with its declaration: " + brokerHub.topicOptions(BOOK));
    }

    @Test
    void theBrokerRefusesADeclarationItsMirrorCouldNotKnowAboutAndTheConnectionGoesOn() {
        RemoteHub client = client();
        // declared at the broker after this client's snapshot: no frame tells the client
        Disposable local = brokerHub.declare(BOOK, TopicOptions.defaults().replay(7));
        toClose.add(local::dispose);
        Disposable refused = client.declare(BOOK, TopicOptions.defaults().replay(2));
        Await.until(WAIT, refused::isDisposed, () -> "the broker's refusal disposed the declaration");
        assertThat(client.currentStatus()).isEqualTo(ConnectionStatus.CONNECTED);
        assertThat(brokerHub.topicOptions(BOOK)).contains(TopicOptions.defaults().replay(7));
        assertThat(client.publish(BOOK, "still connected").isAccepted()).isTrue();
    }

    @Test
    void againstAVersion1BrokerDeclareSaysItCannot() throws Exception {
        try (ServerSocket fakeBroker = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                RemoteHub hub = RemoteHub.create("127.0.0.1", fakeBroker.getLocalPort(), Codecs.utf8(),
                        RemoteHubOptions.defaults())) {
            fakeBroker.setSoTimeout((int) WAIT.toMillis());
            try (Socket socket = fakeBroker.accept()) {
                InputStream in = socket.getInputStream();
                int n = ByteBuffer.wrap(in.readNBytes(4)).getInt();
                HelloFrame hello = (HelloFrame) FrameCodec.STRICT.decode(ByteBuffer.wrap(in.readNBytes(n)));
                assertThat(hello.minVersion()).isEqualTo(1);
                assertThat(hello.maxVersion()).isEqualTo(2);
                byte[] welcome = new WelcomeFrame(1, 60_000, 65_535, 16, 1_024, 0).encode();
                socket.getOutputStream().write(ByteBuffer.allocate(4).putInt(welcome.length).array());
                socket.getOutputStream().write(welcome);
                socket.getOutputStream().flush();
                hub.connected().block(WAIT);
                assertThatThrownBy(() -> hub.declare(BOOK, TopicOptions.defaults().replay(1)))
                        .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("version 1");
            }
        }
    }
}
