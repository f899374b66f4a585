package io.github.reactivepubsub.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivepubsub.tcp.soup.SequencedMessage;
import io.github.reactivepubsub.tcp.soup.SoupBinTcpClient;
import io.github.reactivepubsub.tcp.soup.SoupBinTcpServer;
import io.github.reactivepubsub.tcp.soup.SoupClientOptions;
import io.github.reactivepubsub.tcp.soup.SoupLogin;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

/** The SoupBinTCP sample server: one message that cannot be echoed fails alone, and the echo goes on for everyone. */
class SoupServerTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void anOversizedUnsequencedMessageFailsAloneAndIsLoggedEscaped() throws Exception {
        ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
        PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);
        SoupBinTcpServer server = SoupServer.start(0, "ABC", "secret", "SESS1", 2, log);
        List<String> first = new CopyOnWriteArrayList<>();
        List<String> second = new CopyOnWriteArrayList<>();
        SoupBinTcpClient a = SoupBinTcpClient.create("127.0.0.1", server.port(),
                new SoupLogin("ABC", "secret", "", 1), SoupClientOptions.defaults());
        SoupBinTcpClient b = SoupBinTcpClient.create("127.0.0.1", server.port(),
                new SoupLogin("ABC", "secret", "", 1), SoupClientOptions.defaults());
        Disposable da = a.messages().map(SequencedMessage::payloadAsString).subscribe(first::add);
        Disposable db = b.messages().map(SequencedMessage::payloadAsString).subscribe(second::add);
        try {
            a.loggedIn().block(WAIT);
            b.loggedIn().block(WAIT);
            byte[] oversized = new byte[65_533]; // a valid U; "echo:" + it exceeds the 65534-byte payload limit
            Arrays.fill(oversized, (byte) 'o');
            oversized[0] = '\n';
            a.send(oversized).block(WAIT);
            a.send("hello").block(WAIT);
            b.send("world").block(WAIT);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while ((first.size() < 4 || second.size() < 4) && System.nanoTime() < deadline) {
                Thread.sleep(10); // bounded polling of a condition
            }
            for (List<String> received : List.of(first, second)) { // the two clients' echoes in either order
                assertThat(received).hasSize(4).startsWith("msg-1", "msg-2")
                        .containsOnlyOnce("echo:hello", "echo:world");
            }
            String out = logBytes.toString(StandardCharsets.UTF_8);
            assertThat(out).contains("65533 bytes: '\\noooo").contains("not echoed")
                    .contains("appended as sequence 3").contains("appended as sequence 4").doesNotContain("sequence 5");
            assertThat(out.lines().filter(line -> line.contains("not echoed"))).hasSize(1)
                    .allSatisfy(line -> assertThat(line.length()).isLessThan(400));
        } finally {
            da.dispose();
            db.dispose();
            server.disposeNow();
        }
    }
}
