package io.github.reactivepubsub.tcp;

import io.github.reactivepubsub.session.IdleTimeoutException;
import static io.github.reactivepubsub.tcp.TestCodecs.MESSAGES;
import static io.github.reactivepubsub.tcp.TestCodecs.rawFrame;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivepubsub.ProtocolException;
import io.github.reactivepubsub.session.Await;
import io.github.reactivepubsub.session.Session;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.tcp.TcpClient;
import reactor.test.subscriber.TestSubscriber;
import reactor.test.util.LoggerUtils;
import reactor.test.util.TestLogger;

/**
 * One server, well-behaved clients exchanging messages while misbehaving ones (garbage bytes, a length over the
 * maximum, an unknown packet type, silence, half a frame then silence) connect: each misbehaving one is closed with
 * its specific reason, logged, and the others never notice.
 */
class MisbehavingClientsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int MAX_FRAME = 1024;
    private static final Duration IDLE = Duration.ofMillis(500);
    private static final int WELL_BEHAVED = 6;
    private static final int MESSAGES_EACH = 300;

    private final Map<String, Session<String, String>> serverSessions = new ConcurrentHashMap<>();
    private final Map<String, Throwable> closeReasons = new ConcurrentHashMap<>();
    private final WarnLogger log = new WarnLogger();
    private TcpSessionServer server;
    private final List<Session<String, String>> clients = new ArrayList<>();
    private final List<Connection> rawClients = new ArrayList<>();

    @BeforeEach
    void captureLogs() {
        LoggerUtils.enableCaptureWith(log);
    }

    @AfterEach
    void closeEverything() {
        LoggerUtils.disableCapture();
        clients.forEach(client -> client.close().block(WAIT));
        rawClients.forEach(Connection::dispose);
        if (server != null) {
            server.disposeNow(WAIT);
        }
    }

    @Test
    void misbehavingClientsAreClosedWithTheirReasonAndNeverDisturbTheOthers() {
        server = TcpSessions.bind("127.0.0.1", 0, MESSAGES, MESSAGES,
                TcpSessionOptions.defaults().maxFrameLength(MAX_FRAME).idleTimeout(IDLE), session -> {
                    serverSessions.put(session.name(), session);
                    session.onClose().subscribe(null, reason -> closeReasons.put(session.name(), reason));
                    return session.sendAll(session.inbound().map(text -> "echo:" + text));
                }).block(WAIT);

        // Well-behaved clients: heartbeats keep them inside the idle timeout whatever the machine's load.
        List<TestSubscriber<String>> echoes = new ArrayList<>();
        for (int c = 0; c < WELL_BEHAVED; c++) {
            Session<String, String> client = TcpSessions.connect("127.0.0.1", server.port(), MESSAGES, MESSAGES,
                    TcpSessionOptions.defaults()).block(WAIT);
            client.startHeartbeats(Duration.ofMillis(50), Duration.ofSeconds(10), () -> "hb");
            TestSubscriber<String> received = TestSubscriber.create();
            client.inbound().filter(text -> !text.equals("echo:hb")).subscribe(received); // consumes to the end
            echoes.add(received);
            clients.add(client);
            int id = c;
            client.sendAll(Flux.range(0, MESSAGES_EACH).map(i -> id + "-" + i)).subscribe();
        }

        // Misbehaving clients connect and misbehave while the others exchange.
        Map<String, byte[]> misbehaviour = new LinkedHashMap<>();
        misbehaviour.put("garbage", "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        misbehaviour.put("too long", rawFrame(70_000, new byte[64]));
        misbehaviour.put("unknown type", rawFrame(3, "X?!".getBytes(StandardCharsets.US_ASCII)));
        misbehaviour.put("silent", new byte[0]);
        misbehaviour.put("half a frame", rawFrame(10, new byte[3]));
        Map<String, String> peers = new LinkedHashMap<>();
        misbehaviour.forEach((kind, bytes) -> {
            Connection raw = TcpClient.newConnection().host("127.0.0.1").port(server.port()).connectNow(WAIT);
            raw.inbound().receive().subscribe(); // reads, so that the server's close is seen
            rawClients.add(raw);
            InetSocketAddress local = (InetSocketAddress) raw.channel().localAddress();
            peers.put(kind, local.getAddress().getHostAddress() + ":" + local.getPort());
            if (bytes.length > 0) {
                raw.outbound().sendByteArray(Mono.just(bytes)).then().subscribe();
            }
        });

        rawClients.forEach(raw -> raw.onDispose().block(WAIT));
        Await.until(WAIT, () -> closeReasons.keySet().containsAll(peers.values()),
                () -> "close reasons of " + peers + ", have " + closeReasons.keySet());

        assertThat(closeReasons.get(peers.get("garbage"))).isInstanceOf(ProtocolException.class)
                .hasMessage("frame length " + ByteBuffer.wrap("GET ".getBytes(StandardCharsets.US_ASCII)).getInt()
                        + " exceeds maxFrameLength 1024 (session " + peers.get("garbage") + ")");
        assertThat(closeReasons.get(peers.get("too long"))).isInstanceOf(ProtocolException.class)
                .hasMessage("frame length 70000 exceeds maxFrameLength 1024 (session " + peers.get("too long") + ")");
        assertThat(closeReasons.get(peers.get("unknown type"))).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("unknown packet type 0x58; expected 'M'");
        assertThat(closeReasons.get(peers.get("silent"))).isInstanceOf(IdleTimeoutException.class)
                .hasMessageStartingWith("session " + peers.get("silent") + ": no bytes received for ");
        assertThat(closeReasons.get(peers.get("half a frame"))).isInstanceOf(IdleTimeoutException.class)
                .hasMessageStartingWith("session " + peers.get("half a frame") + ": no bytes received for ");
        peers.values().forEach(peer -> assertThat(log.getErrContent())
                .as("log of %s", peer)
                .contains("session " + peer + " closed: " + closeReasons.get(peer)));

        // The well-behaved clients got every echo, in order, and their sessions are untouched.
        for (int c = 0; c < WELL_BEHAVED; c++) {
            TestSubscriber<String> received = echoes.get(c);
            Await.until(WAIT, () -> received.getReceivedOnNext().size() >= MESSAGES_EACH, () -> "all echoes, have "
                    + received.getReceivedOnNext().size() + ", terminal signal " + received.getTerminalSignal());
            int id = c;
            assertThat(received.getReceivedOnNext()).as("echoes of client %d", c).containsExactlyElementsOf(
                    IntStream.range(0, MESSAGES_EACH).mapToObj(i -> "echo:" + id + "-" + i)
                            .collect(Collectors.toList()));
        }
        assertThat(clients).allSatisfy(client -> assertThat(client.isActive()).isTrue());
        assertThat(closeReasons.keySet()).containsExactlyInAnyOrderElementsOf(peers.values());
        assertThat(server.activeSessions()).isEqualTo(WELL_BEHAVED);
    }

    /** Captures WARN and ERROR lines only (Reactor Netty's debug output stays out). */
    private static final class WarnLogger extends TestLogger {

        WarnLogger() {
            super(false);
        }

        @Override
        public boolean isTraceEnabled() {
            return false;
        }

        @Override
        public boolean isDebugEnabled() {
            return false;
        }

        @Override
        public boolean isInfoEnabled() {
            return false;
        }
    }
}
