package io.github.reactivepubsub.tcp.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.Message;
import io.github.reactivepubsub.Overflow;
import io.github.reactivepubsub.PublishResult;
import io.github.reactivepubsub.codec.Codecs;
import io.github.reactivepubsub.session.Await;
import io.github.reactivepubsub.tcp.remote.RemoteHub;
import io.github.reactivepubsub.tcp.remote.RemoteHubOptions;
import io.github.reactivepubsub.tcp.wire.CreditFrame;
import io.github.reactivepubsub.tcp.wire.Frame;
import io.github.reactivepubsub.tcp.wire.HelloFrame;
import io.github.reactivepubsub.tcp.wire.SubscribeFrame;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

/**
 * The scenario for real: a broker JVM with a 96 MB heap, one authenticated client that subscribes with
 * unbounded credit and stops reading, and 120 MB of 60 KB messages published through the broker by another client.
 * The broker survives (it runs with {@code -XX:+ExitOnOutOfMemoryError}: an OutOfMemoryError would end it) and keeps
 * serving a third client, which receives every message published to it meanwhile.
 */
class SmallHeapBrokerIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int BIG_MESSAGES = 2_000;

    @Test
    void aStalledSubscriberOf60KbMessagesDoesNotTakeA96MbBrokerDown() throws Exception {
        Path errors = Files.createTempFile("broker", ".err");
        Process broker = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx96m", "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"),
                BrokerProcess.class.getName())
                .redirectError(errors.toFile())
                .start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(broker.getInputStream(),
                StandardCharsets.US_ASCII))) {
            String line = out.readLine();
            assertThat(line).as("the broker's first line (stderr: %s)", errors).startsWith("PORT ");
            int port = Integer.parseInt(line.substring(5));

            RemoteHub good = RemoteHub.create("127.0.0.1", port, Codecs.utf8(), RemoteHubOptions.defaults());
            RemoteHub publisher = RemoteHub.create("127.0.0.1", port, Codecs.utf8(), RemoteHubOptions.defaults());
            try (Socket stalled = new Socket("127.0.0.1", port)) {
                good.connected().block(WAIT);
                publisher.connected().block(WAIT);
                List<String> received = new CopyOnWriteArrayList<>();
                Disposable d = good.<String>subscribe("small").map(Message::payload).subscribe(received::add);
                OutputStream raw = stalled.getOutputStream();
                raw.write(frame(new HelloFrame(1, 1, "", "")));
                raw.write(frame(new SubscribeFrame(1, 1 << 30, Overflow.DROP_OLDEST, Key.parse("big"))));
                raw.write(frame(new CreditFrame(1, CreditFrame.UNBOUNDED)));
                raw.flush(); // and never reads
                Await.until(WAIT, () -> publisher.subscriberCount(Key.parse("big")) == 1
                        && publisher.subscriberCount(Key.parse("small")) == 1, () -> "both subscribers at the broker");

                String big = "b".repeat(60_000);
                for (int i = 0; i < BIG_MESSAGES; i++) {
                    publishPatiently(publisher, "big", big);
                    publishPatiently(publisher, "small", "s" + i);
                    assertThat(broker.isAlive()).as("broker alive after %d big messages; stderr: %s", i,
                            Files.readString(errors)).isTrue();
                }
                Await.until(WAIT, () -> received.size() == BIG_MESSAGES, () -> "the good client got every message, "
                        + received.size());
                assertThat(received.get(BIG_MESSAGES - 1)).isEqualTo("s" + (BIG_MESSAGES - 1));
                assertThat(broker.isAlive()).isTrue();
                assertThat(Files.readString(errors)).doesNotContain("OutOfMemoryError");
                d.dispose();
            } finally {
                good.close();
                publisher.close();
            }
        } finally {
            broker.getOutputStream().close();
            if (!broker.waitFor(10, TimeUnit.SECONDS)) {
                broker.destroyForcibly();
            }
            Files.deleteIfExists(errors);
        }
    }

    /** Publishes, waiting (bounded) while the client's outbound queue is full. */
    private static void publishPatiently(RemoteHub hub, String key, String payload) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        PublishResult result;
        while ((result = hub.publish(key, payload)) == PublishResult.BACK_PRESSURED && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(result).isEqualTo(PublishResult.SENT);
    }

    private static byte[] frame(Frame frame) {
        byte[] body = frame.encode();
        return ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
    }
}
