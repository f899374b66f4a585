package io.github.reactivepubsub.tcp;

import io.github.reactivepubsub.TckVerification;
import io.github.reactivepubsub.codec.Codecs;
import io.github.reactivepubsub.session.Session;
import java.time.Duration;
import org.reactivestreams.Publisher;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The Reactive Streams TCK against a TCP session's {@code inbound()} (TestNG, run on the JUnit Platform by
 * testng-engine). One real server for the class: a client session asks for {@code n} messages, the server sends
 * them and closes gracefully, so the client's inbound emits exactly {@code n} and completes.
 */
public class TcpSessionInboundTckTest extends TckVerification<String> {

    static {
        // TestNG runs before the Jupiter engine registers this module's extensions: install log capture and Netty's
        // recording leak detector before the first logger and buffer exist, or no later test could use them
        new ReactorLogCapture();
        new NettyLeakCheck();
    }

    private static final Duration WAIT = Duration.ofSeconds(10);
    private TcpSessionServer server;

    public TcpSessionInboundTckTest() {
        super(Medium.NETWORK, 1_024);
    }

    @BeforeClass
    public void start() {
        server = TcpSessions.bind("127.0.0.1", 0, Codecs.utf8(), Codecs.utf8(), TcpSessionOptions.defaults(),
                session -> session.receive()
                        .flatMapMany(count -> session.sendAll(Flux.range(0, Integer.parseInt(count))
                                .map(i -> "m" + i))))
                .block(WAIT);
    }

    @AfterClass
    public void stop() {
        server.disposeNow(WAIT);
    }

    @Override
    public Publisher<String> createPublisher(long elements) {
        return subscriber -> {
            Session<String, String> client = TcpSessions.connect("127.0.0.1", server.port(), Codecs.utf8(),
                    Codecs.utf8(), TcpSessionOptions.defaults()).block(WAIT);
            client.inbound().doFinally(signal -> client.close().subscribe()).subscribe(subscriber);
            client.send(Long.toString(elements)).subscribe(null, error -> { });
        };
    }

    /**
     * None: a session fails when its peer breaks the framing, but it reads the socket only on demand, so without a
     * {@code request} the failure is not seen (the TCK's failed-publisher rules ask for it without).
     */
    @Override
    public Publisher<String> createFailedPublisher() {
        return null;
    }
}
