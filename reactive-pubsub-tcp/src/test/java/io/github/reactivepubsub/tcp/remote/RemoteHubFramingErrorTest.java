package io.github.reactivepubsub.tcp.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivepubsub.codec.Codecs;
import io.github.reactivepubsub.tcp.wire.ErrorFrame;
import io.github.reactivepubsub.tcp.wire.Frame;
import io.github.reactivepubsub.tcp.wire.FrameCodec;
import io.github.reactivepubsub.tcp.wire.HelloFrame;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * A broker announcing a frame longer than the client's maximum is told why with an ERROR frame before the client
 * closes the connection, as for every other protocol error (the broker does the same: {@code PubSubServerTest}).
 */
class RemoteHubFramingErrorTest {

    @Test
    void aBrokerAnnouncingAnOversizedFrameGetsAProtocolErrorBeforeTheClose() throws Exception {
        try (ServerSocket fakeBroker = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                RemoteHub hub = RemoteHub.create("127.0.0.1", fakeBroker.getLocalPort(), Codecs.utf8(),
                        RemoteHubOptions.defaults().maxFrameLength(1_024))) {
            fakeBroker.setSoTimeout(10_000);
            try (Socket socket = fakeBroker.accept()) {
                socket.setSoTimeout(10_000);
                InputStream in = socket.getInputStream();
                assertThat(readFrame(in)).isInstanceOf(HelloFrame.class);
                socket.getOutputStream().write(new byte[] {0, 0x10, 0, 0, 0x02}); // a 1 MiB WELCOME; limit 1024
                socket.getOutputStream().flush();
                assertThat(readFrame(in)).isInstanceOfSatisfying(ErrorFrame.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
                    assertThat(e.reason()).startsWith("frame length 1048576 exceeds maxFrameLength 1024 (session ");
                });
                assertThat(in.read()).as("closed after the error").isEqualTo(-1);
            }
        }
    }

    private static Frame readFrame(InputStream in) throws Exception {
        int n = ByteBuffer.wrap(in.readNBytes(4)).getInt();
        return FrameCodec.STRICT.decode(ByteBuffer.wrap(in.readNBytes(n)));
    }
}
