package io.github.reactivepubsub.session;

import io.github.reactivepubsub.TckVerification;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * The Reactive Streams TCK against a session's {@link Session#inbound()} over {@link InMemoryConnections} (TestNG,
 * on the JUnit Platform).
 *
 * <p>Each TCK subscriber gets a fresh connected pair: the peer writes exactly the requested number of frames and
 * closes, so the session closes gracefully and {@code inbound()} completes once every frame was delivered (the
 * drain timeout is long enough for the TCK's slowest subscriber). Reading is driven by the subscriber's demand, so
 * the TCK checks that demand, not a buffer, paces delivery. The failed publisher is a session that closed on a frame
 * it could not parse: {@code inbound()} must signal that
 * {@link io.github.reactivepubsub.ProtocolException} right after {@code onSubscribe}.
 */
public class SessionInboundTckTest extends TckVerification<String> {

    private static final SessionOptions OPTIONS = SessionOptions.defaults().drainTimeout(Duration.ofMinutes(1));

    @Override
    public Publisher<String> createPublisher(long elements) {
        return subscriber -> {
            InMemoryConnections.Pair pair = InMemoryConnections.pair();
            Session<String, String> session = Session.create(pair.server(), TestFrames.DECODER, TestFrames.ENCODER,
                    OPTIONS);
            session.inbound().subscribe(subscriber);
            String[] texts = new String[(int) elements];
            for (int i = 0; i < texts.length; i++) {
                texts[i] = Integer.toString(i);
            }
            ByteBuffer frames = texts.length == 0 ? ByteBuffer.allocate(0) : TestFrames.frames(texts);
            DuplexConnection peer = pair.client();
            peer.send(Mono.just(frames)).doFinally(signal -> peer.dispose()).subscribe();
        };
    }

    @Override
    public Publisher<String> createFailedPublisher() {
        InMemoryConnections.Pair pair = InMemoryConnections.pair();
        Session<String, String> session = Session.create(pair.server(), TestFrames.DECODER, TestFrames.ENCODER,
                OPTIONS);
        ByteBuffer oversized = ByteBuffer.allocate(4).putInt(TestFrames.MAX_FRAME + 1).flip();
        pair.client().send(Mono.just(oversized)).subscribe();
        // a pull reads the bad frame: the session closes with a ProtocolException (the pull ends with the close)
        session.receive().onErrorResume(e -> Mono.empty()).block(Duration.ofSeconds(5));
        return session.inbound();
    }
}
