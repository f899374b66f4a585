package io.github.reactivepubsub.tcp.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivepubsub.ConnectionStatus;
import io.github.reactivepubsub.PublishResult;
import io.github.reactivepubsub.codec.Codecs;
import io.github.reactivepubsub.tcp.wire.Frame;
import io.github.reactivepubsub.tcp.wire.FrameCodec;
import io.github.reactivepubsub.tcp.wire.FramePayloads;
import io.github.reactivepubsub.tcp.wire.HelloFrame;
import io.github.reactivepubsub.tcp.wire.PublishFrame;
import io.github.reactivepubsub.tcp.wire.WelcomeFrame;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A broker that stops reading: once the socket, Netty's outbound buffer and {@link RemoteHubOptions#maxPendingFrames()}
 * are full, a publish is {@link PublishResult#BACK_PRESSURED} (not queued, not an error), the connection stays up,
 * and every publish reported {@code SENT} reaches the broker in order once it reads again.
 */
class RemoteHubBackPressureTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int MAX_PUBLISHES = 20_000;
    private static final String PADDING = "x".repeat(8_192);

    @Test
    void aPublishIsBackPressuredWhileTheBrokerDoesNotReadAndEverythingSentArrivesAfterwards() throws Exception {
        try (ServerSocket fakeBroker = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                RemoteHub hub = RemoteHub.create("127.0.0.1", fakeBroker.getLocalPort(), Codecs.utf8(),
                        RemoteHubOptions.defaults().maxPendingFrames(16))) {
            fakeBroker.setSoTimeout((int) WAIT.toMillis());
            try (Socket socket = fakeBroker.accept()) {
                socket.setSoTimeout((int) WAIT.toMillis());
                InputStream in = socket.getInputStream();
                assertThat(readFrame(in)).isInstanceOf(HelloFrame.class);
                writeFrame(socket.getOutputStream(), new WelcomeFrame(1, 60_000, 65_535, 16, 1_024, 0));
                hub.connected().block(WAIT);

                // the broker reads nothing now: publish until the client says it cannot take more
                List<String> sent = new ArrayList<>();
                PublishResult result = PublishResult.SENT;
                for (int i = 0; i < MAX_PUBLISHES && result == PublishResult.SENT; i++) {
                    String payload = i + ":" + PADDING;
                    result = hub.publish("bp.k", payload);
                    if (result == PublishResult.SENT) {
                        sent.add(payload);
                    }
                }
                assertThat(result).as("after %d publishes", sent.size()).isEqualTo(PublishResult.BACK_PRESSURED);
                assertThat(hub.currentStatus()).isEqualTo(ConnectionStatus.CONNECTED);

                // the broker reads again: everything reported SENT arrives, in order, and publishing goes on
                for (String expected : sent) {
                    assertThat(FramePayloads.utf8(nextPublish(in).payload())).isEqualTo(expected);
                }
                assertThat(hub.publish("bp.k", "after")).isEqualTo(PublishResult.SENT);
                PublishFrame after = nextPublish(in);
                assertThat(after.key().toString()).isEqualTo("bp.k");
                assertThat(FramePayloads.utf8(after.payload())).isEqualTo("after");
                assertThat(hub.currentStatus()).isEqualTo(ConnectionStatus.CONNECTED);
            }
        }
    }

    /** @return the next PUBLISH (skipping the client's heartbeats) */
    private static PublishFrame nextPublish(InputStream in) throws Exception {
        for (;;) {
            Frame frame = readFrame(in);
            if (frame instanceof PublishFrame publish) {
                return publish;
            }
        }
    }

    private static Frame readFrame(InputStream in) throws Exception {
        int n = ByteBuffer.wrap(in.readNBytes(4)).getInt();
        return FrameCodec.STRICT.decode(ByteBuffer.wrap(in.readNBytes(n)));
    }

    private static void writeFrame(OutputStream out, Frame frame) throws Exception {
        byte[] body = frame.encode();
        out.write(ByteBuffer.allocate(4).putInt(body.length).array());
        out.write(body);
        out.flush();
    }
}
