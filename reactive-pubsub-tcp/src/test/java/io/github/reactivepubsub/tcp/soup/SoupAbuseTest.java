package io.github.reactivepubsub.tcp.soup;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivepubsub.session.Await;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.Disposable;
import reactor.test.util.LoggerUtils;
import reactor.test.util.TestLogger;

/**
 * A hostile SoupBinTCP client against a real server on loopback: odd login fields are answered as
 * {@code docs/soupbintcp.md} says (sections 3, 4 and 8), logged escaped, and a well-behaved client of the same server
 * keeps receiving.
 */
class SoupAbuseTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final TestLogger log = new TestLogger(false);
    private SoupBinTcpServer server;
    private SoupSession session;
    private SoupBinTcpClient good;
    private final List<String> goodReceived = new CopyOnWriteArrayList<>();
    private Disposable goodSubscription;

    @BeforeEach
    void start() {
        LoggerUtils.enableCaptureWith(log);
        server = SoupBinTcpServer.bindNow("127.0.0.1", 0, SoupServerOptions.defaults()
                .authenticator(Authenticator.of("ABC", "secret"))
                .storeFactory(name -> MessageStore.inMemory(1_000, 4_000)));
        session = server.createSession("SESS1");
        for (int i = 1; i <= 3; i++) {
            session.publish("msg-" + i);
        }
        good = SoupBinTcpClient.create("127.0.0.1", server.port(), new SoupLogin("ABC", "secret", "", 1),
                SoupClientOptions.defaults());
        goodSubscription = good.messages().subscribe(m -> goodReceived.add(m.payloadAsString()));
        Await.until(WAIT, () -> goodReceived.size() == 3, () -> "the good client's replay");
    }

    @AfterEach
    void stop() {
        LoggerUtils.disableCapture();
        goodSubscription.dispose();
        server.disposeNow();
    }

    /** A Login Request with the 20 bytes of {@code sequenceField} as they are. */
    private static byte[] login(String user, String password, String sessionName, String sequenceField) {
        String body = "L" + pad(user, 6, false) + pad(password, 10, false) + pad(sessionName, 10, true)
                + sequenceField;
        byte[] bytes = body.getBytes(StandardCharsets.ISO_8859_1);
        assertThat(bytes).hasSize(47);
        byte[] packet = new byte[49];
        packet[1] = 47;
        System.arraycopy(bytes, 0, packet, 2, 47);
        return packet;
    }

    private static String pad(String value, int width, boolean left) {
        String spaces = " ".repeat(width - value.length());
        return left ? spaces + value : value + spaces;
    }

    /** Sends the bytes and returns the first reply packet (length, type and payload). */
    private byte[] firstReply(byte[] request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout((int) WAIT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(request);
            InputStream in = socket.getInputStream();
            byte[] header = in.readNBytes(2);
            assertThat(header).as("a reply before the close").hasSize(2);
            int n = ((header[0] & 0xFF) << 8) | (header[1] & 0xFF);
            return in.readNBytes(n);
        }
    }

    private void assertGoodClientStillReceives(String text) {
        session.publish(text);
        Await.until(WAIT, () -> goodReceived.contains(text), () -> "the good client got " + text);
    }

    @Test
    void aTwentyDigitSequenceBeyondTheStreamStartsFromTheNext() throws Exception {
        byte[] reply = firstReply(login("ABC", "secret", "SESS1", "99999999999999999999"));
        assertThat((char) reply[0]).isEqualTo('A');
        String accepted = new String(reply, 1, reply.length - 1, StandardCharsets.US_ASCII);
        assertThat(accepted.substring(0, 10).strip()).isEqualTo("SESS1");
        assertThat(accepted.substring(10).strip()).isEqualTo("4");
        assertGoodClientStillReceives("after-20-digits");
    }

    @ParameterizedTest
    @ValueSource(strings = {"                  -5", "                    ", "        12ab        ",
        "1\r\nINFO forged      "})
    void aSequenceThatIsNotANumberIsAnsweredWithALoginRejectAndLoggedEscaped(String field) throws Exception {
        byte[] reply = firstReply(login("ABC", "secret", "SESS1", field));
        assertThat(new String(reply, StandardCharsets.US_ASCII)).isEqualTo("JS");
        Await.until(WAIT, () -> log.getOutContent().contains("login rejected"), () -> "the rejection logged");
        String out = log.getOutContent();
        assertThat(out).contains("SESSION_NOT_AVAILABLE").contains("not a number").doesNotContain("\r\nINFO forged");
        assertGoodClientStillReceives("after-" + field.strip().hashCode());
    }

    @Test
    void aControlCharacterUsernameIsLoggedEscaped() throws Exception {
        byte[] reply = firstReply(login("a\r\nb", "x", "", "                   1"));
        assertThat(new String(reply, StandardCharsets.US_ASCII)).isEqualTo("JA");
        Await.until(WAIT, () -> log.getOutContent().contains("login rejected"), () -> "the rejection logged");
        assertThat(log.getOutContent()).contains("username=a\\r\\nb").doesNotContain("a\r\nb");
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET / HTTP/1.1\r\nHost: x\r\n\r\n", "\u0000\u0000", "\u0000\u0002O\u0000",
        "\u0000\u0001>"})
    void garbageIsClosedWithoutAReplyAndLoggedEscaped(String bytes) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout((int) WAIT.toMillis());
            socket.getOutputStream().write(bytes.getBytes(StandardCharsets.ISO_8859_1));
            assertThat(socket.getInputStream().read()).as("closed without a reply").isEqualTo(-1);
        }
        Await.until(WAIT, () -> log.getErrContent().contains("closing"), () -> "the close logged");
        assertThat(log.getErrContent()).doesNotContain("GET / HTTP/1.1\r\n");
        assertGoodClientStillReceives("after-garbage-" + bytes.length());
    }

    /**
     * 100 unsequenced messages of 60,000 bytes (6 MB) while the application takes none: the count bound (1,024) is
     * far away, the byte bound (4 MiB by default) keeps 69 of them and drops the rest, counted and logged; once the
     * application takes them, there is room again.
     */
    @Test
    void aFloodOfLargeUnsequencedMessagesIsBoundedByBytesNotOnlyByCount() throws Exception {
        int size = 60_000;
        long cost = size + SoupServerState.MESSAGE_OVERHEAD;
        int kept = (int) ((4L << 20) / cost);
        assertThat(kept).isEqualTo(69);
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout((int) WAIT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(login("ABC", "secret", "SESS1", "                   0"));
            assertThat(socket.getInputStream().readNBytes(3)).containsExactly(0x00, 0x1f, 'A');
            byte[] frame = new byte[2 + 1 + size];
            frame[0] = (byte) ((1 + size) >> 8);
            frame[1] = (byte) (1 + size);
            frame[2] = 'U';
            for (int i = 0; i < 100; i++) {
                out.write(frame);
            }
            out.flush();
            Await.until(WAIT, () -> server.droppedUnsequenced() == 100 - kept, () -> "dropped "
                    + server.droppedUnsequenced() + ", expected " + (100 - kept));
            List<UnsequencedMessage> taken = new CopyOnWriteArrayList<>();
            Disposable app = server.unsequenced().subscribe(taken::add);
            try {
                Await.until(WAIT, () -> taken.size() == kept, () -> "the application got " + taken.size());
                out.write(frame);
                out.flush();
                Await.until(WAIT, () -> taken.size() == kept + 1, () -> "room again: got " + taken.size());
            } finally {
                app.dispose();
            }
            assertThat(server.droppedUnsequenced()).isEqualTo(100 - kept);
            assertThat(taken).allSatisfy(m -> assertThat(m.payloadBytes()).hasSize(size));
        }
        assertThat(log.getErrContent()).contains("unsequencedBufferBytes 4194304");
        assertGoodClientStillReceives("after-unsequenced-flood");
    }

    @Test
    void aFloodOfUnsequencedDataIsBoundedByBytesAndLateJoinersOfEvictedRangesAreRejected() throws Exception {
        byte[] big = new byte[1_000];
        Arrays.fill(big, (byte) 'u');
        for (int i = 0; i < 100; i++) { // 100 KB into a store of 4,000 bytes
            session.publish(big);
        }
        MessageStore store = session.store();
        assertThat(store.firstSequence()).isGreaterThan(90);
        byte[] reply = firstReply(login("ABC", "secret", "SESS1", "                   1"));
        assertThat(new String(reply, StandardCharsets.US_ASCII)).isEqualTo("JS");
        reply = firstReply(login("ABC", "secret", "SESS1", String.format("%20d", store.firstSequence())));
        assertThat((char) reply[0]).isEqualTo('A');
    }
}
