package io.github.reactivepubsub.tcp.soup;

import io.github.reactivepubsub.TckVerification;
import java.util.concurrent.atomic.AtomicInteger;
import io.github.reactivepubsub.tcp.NettyLeakCheck;
import io.github.reactivepubsub.tcp.ReactorLogCapture;
import org.reactivestreams.Publisher;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;

/**
 * The Reactive Streams TCK against {@link SoupBinTcpClient#messages()} (TestNG, run on the JUnit Platform by
 * testng-engine). One real server for the class; each TCK publisher is a client of a new session holding exactly the
 * elements and then ended, so the stream replays them and completes after End of Session.
 */
public class SoupBinTcpClientTckTest extends TckVerification<SequencedMessage> {

    static {
        // TestNG runs before the Jupiter engine registers this module's extensions: install log capture and Netty's
        // recording leak detector before the first logger and buffer exist, or no later test could use them
        new ReactorLogCapture();
        new NettyLeakCheck();
    }

    private final AtomicInteger sessions = new AtomicInteger();
    private SoupBinTcpServer server;

    public SoupBinTcpClientTckTest() {
        super(Medium.NETWORK, 1_024);
    }

    @BeforeClass
    public void start() {
        server = SoupBinTcpServer.bindNow("127.0.0.1", 0, SoupServerOptions.defaults()
                .authenticator(Authenticator.of("TCK", "tck")));
    }

    @AfterClass
    public void stop() {
        server.disposeNow();
    }

    @Override
    public Publisher<SequencedMessage> createPublisher(long elements) {
        SoupSession session = server.createSession("T" + sessions.incrementAndGet());
        for (long i = 1; i <= elements; i++) {
            session.publish("m" + i);
        }
        session.end();
        return SoupBinTcpClient.create("127.0.0.1", server.port(), new SoupLogin("TCK", "tck", session.name(), 1),
                SoupClientOptions.defaults()).messages();
    }

    /**
     * None: a rejected login or a lost connection fails the stream, but the client reads the socket only on demand,
     * so without a {@code request} the failure is not seen (the TCK's failed-publisher rules ask for it without).
     */
    @Override
    public Publisher<SequencedMessage> createFailedPublisher() {
        return null;
    }
}
