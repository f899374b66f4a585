package io.github.reactivepubsub.tcp.soup;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivepubsub.ProtocolException;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.tcp.TcpServer;
import reactor.test.StepVerifier;
import reactor.test.util.LoggerUtils;
import reactor.test.util.TestLogger;
import reactor.util.retry.Retry;

/**
 * A hostile SoupBinTCP server (raw bytes on loopback) against a real {@link SoupBinTcpClient}: what it chose is
 * logged escaped, and sequence numbers it chose cannot make the client's count wrap ({@code docs/soupbintcp.md},
 * sections 3 and 5).
 */
class SoupHostileServerTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final TestLogger log = new TestLogger(false);
    private final AtomicInteger connections = new AtomicInteger();
    private DisposableServer fake;

    @BeforeEach
    void captureLogs() {
        LoggerUtils.enableCaptureWith(log);
    }

    @AfterEach
    void stop() {
        LoggerUtils.disableCapture();
        if (fake != null) {
            fake.disposeNow();
        }
    }

    /** Binds a server that answers every connection with {@code bytes}, then stays silent and open. */
    private SoupBinTcpClient clientOfAServerSending(byte[] bytes, SoupClientOptions options) {
        fake = TcpServer.create().host("127.0.0.1").port(0)
                .handle((in, out) -> {
                    connections.incrementAndGet();
                    return out.send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(bytes))).then(Mono.never());
                })
                .bindNow();
        return SoupBinTcpClient.create("127.0.0.1", fake.port(), new SoupLogin("ABC", "secret", "", 1), options);
    }

    /** Login Accepted with the 10 session bytes and the 20 sequence bytes as they are. */
    private static byte[] accepted(String session, String sequence) {
        assertThat(session).hasSize(10);
        assertThat(sequence).hasSize(20);
        return frame('A', session + sequence);
    }

    private static byte[] frame(char type, String payload) {
        byte[] body = payload.getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int n = 1 + body.length;
        out.write(n >> 8);
        out.write(n & 0xFF);
        out.write(type);
        out.writeBytes(body);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] f : frames) {
            out.writeBytes(f);
        }
        return out.toByteArray();
    }

    private static SoupClientOptions reconnecting() {
        return SoupClientOptions.defaults().reconnect(Retry.fixedDelay(3, Duration.ofMillis(10)));
    }

    @Test
    void aSessionNameWithControlCharactersIsLoggedEscaped() {
        SoupBinTcpClient client = clientOfAServerSending(concat(accepted("x\r\nINFO ab", " ".repeat(19) + "1"),
                frame('S', "hi"), frame('Z', "")), SoupClientOptions.defaults());
        StepVerifier.create(client.messages().map(SequencedMessage::payloadAsString))
                .expectNext("hi")
                .expectComplete()
                .verify(WAIT);
        assertThat(log.getOutContent()).contains("logged in to").contains("session 'x\\r\\nINFO ab'")
                .doesNotContain("x\r\nINFO ab");
    }

    @Test
    void aLoginAcceptedAtLongMaxValueFailsTheConnectionNamingTheFieldAndIsNotRetried() {
        SoupBinTcpClient client = clientOfAServerSending(concat(
                accepted("     SESS1", " 9223372036854775807"), frame('S', "a")), reconnecting());
        StepVerifier.create(client.messages())
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(ProtocolException.class)
                        .hasMessageContaining("sequence number '9223372036854775807' exceeds 9223372036854775806")
                        .hasMessageContaining("'A' (0x41)"))
                .verify(WAIT);
        assertThat(connections).hasValue(1);
        assertThat(client.nextExpectedSequence()).isEqualTo(1);
    }

    @Test
    void aMessageThatWouldBeNumberedLongMaxValueFailsTheConnectionInsteadOfWrapping() {
        SoupBinTcpClient client = clientOfAServerSending(concat(
                accepted("     SESS1", " 9223372036854775806"), frame('S', "a"), frame('S', "b")), reconnecting());
        StepVerifier.create(client.messages())
                .assertNext(m -> {
                    assertThat(m.sequence()).isEqualTo(Long.MAX_VALUE - 1);
                    assertThat(m.payloadAsString()).isEqualTo("a");
                })
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(ProtocolException.class)
                        .hasMessageContaining("Sequenced Data would be numbered 9223372036854775807"))
                .verify(WAIT);
        assertThat(connections).hasValue(1);
        assertThat(client.nextExpectedSequence()).isEqualTo(Long.MAX_VALUE);
    }
}
