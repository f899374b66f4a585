package io.github.reactivepubsub.tcp.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivepubsub.session.FrameDecoder;
import io.github.reactivepubsub.session.FrameEncoder;
import io.github.reactivepubsub.session.InMemoryConnections;
import io.github.reactivepubsub.session.Session;
import io.github.reactivepubsub.session.SessionOptions;
import io.github.reactivepubsub.tcp.wire.Frame;
import io.github.reactivepubsub.tcp.wire.FrameCodec;
import io.github.reactivepubsub.tcp.wire.HelloFrame;
import io.github.reactivepubsub.tcp.wire.WelcomeFrame;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * A broker the test plays frame by frame, for a {@link RemoteHub} made with {@link #connector()}: each connection
 * attempt is an in-memory pair of sessions timed by the virtual clock, so every frame sent is handled before
 * {@code send} returns and no test waits for time to pass.
 */
final class ScriptedBroker {

    private final VirtualTimeScheduler clock;
    private final List<Connection> connections = new CopyOnWriteArrayList<>();

    ScriptedBroker(VirtualTimeScheduler clock) {
        this.clock = clock;
    }

    /** @return what the hub connects with: a new connection per attempt */
    Supplier<Mono<Session<Frame, Frame>>> connector() {
        return () -> Mono.fromSupplier(() -> {
            InMemoryConnections.Pair pair = InMemoryConnections.pair();
            SessionOptions timed = SessionOptions.defaults().scheduler(clock);
            Session<Frame, Frame> broker = Session.create(pair.server(),
                    FrameDecoder.lengthPrefixed(FrameCodec.LENIENT, 65_535),
                    FrameEncoder.lengthPrefixed(FrameCodec.STRICT), timed.name("broker"));
            Session<Frame, Frame> client = Session.create(pair.client(),
                    FrameDecoder.lengthPrefixed(FrameCodec.STRICT, 65_535),
                    FrameEncoder.lengthPrefixed(FrameCodec.STRICT), timed.name("client"));
            Connection c = new Connection(broker, client);
            broker.inbound().subscribe(c.received::add, error -> { });
            connections.add(c);
            return client;
        });
    }

    /** @return how many connection attempts reached the broker */
    int attempts() {
        return connections.size();
    }

    /** @return the latest connection, which has received the client's HELLO */
    Connection latest() {
        assertThat(connections).as("connection attempts").isNotEmpty();
        Connection c = connections.get(connections.size() - 1);
        assertThat(c.received).as("frames from the client").first().isInstanceOf(HelloFrame.class);
        return c;
    }

    /** One connection: the broker's end plays the frames, the client's end is the hub's session. */
    static final class Connection {

        final Session<Frame, Frame> broker;
        final Session<Frame, Frame> client;
        final List<Frame> received = new CopyOnWriteArrayList<>();

        Connection(Session<Frame, Frame> broker, Session<Frame, Frame> client) {
            this.broker = broker;
            this.client = client;
        }

        /** Sends the frames, in order, to the client. */
        Connection send(Frame... frames) {
            for (Frame frame : frames) {
                broker.send(frame).subscribe(null, error -> { });
            }
            return this;
        }

        /** Sends WELCOME of that version, a heartbeat every minute and the usual limits, without snapshot. */
        Connection welcome(int version) {
            return send(new WelcomeFrame(version, 60_000, 65_535, 16, 1_024, 0));
        }

        /** @return the frames of that type the client sent */
        <F extends Frame> List<F> received(Class<F> type) {
            return received.stream().filter(type::isInstance).map(type::cast).toList();
        }
    }
}
