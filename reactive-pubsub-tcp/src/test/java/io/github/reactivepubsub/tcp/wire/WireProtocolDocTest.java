package io.github.reactivepubsub.tcp.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.reactivepubsub.HubEvent;
import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.Overflow;
import io.github.reactivepubsub.ProtocolException;
import io.github.reactivepubsub.session.FrameDecoder;
import io.github.reactivepubsub.session.FrameEncoder;
import io.github.reactivepubsub.tcp.remote.ErrorCode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The code matches {@code docs/wire-protocol.md}: every example frame of the document is what the encoder produces
 * for the described frame, and decodes back to it; every frame type has an example.
 */
class WireProtocolDocTest {

    private static final Pattern GOLDEN = Pattern.compile("<!-- golden (\\w+) -->\\s*```text\\n(.*?)```",
            Pattern.DOTALL);

    /** The frames the document's examples describe, by example name. */
    private static final Map<String, Frame> FRAMES = new LinkedHashMap<>();

    static {
        Key pattern = Key.parse("a.*");
        byte[] hi = "hi".getBytes(StandardCharsets.UTF_8);
        FRAMES.put("HELLO", new HelloFrame(1, 1, "alice", "pw"));
        FRAMES.put("WELCOME", new WelcomeFrame(1, 5000, 65535, 1024, 1024, 2));
        FRAMES.put("SUBSCRIBE", new SubscribeFrame(7, 256, Overflow.DROP_OLDEST, pattern));
        FRAMES.put("UNSUBSCRIBE", new UnsubscribeFrame(7));
        FRAMES.put("CREDIT", new CreditFrame(7, 32));
        FRAMES.put("CREDIT_UNBOUNDED", new CreditFrame(7, CreditFrame.UNBOUNDED));
        FRAMES.put("PUBLISH", new PublishFrame(Key.parse("a.b"), hi));
        FRAMES.put("MESSAGE", new MessageFrame(7, Key.parse("a.b"), hi));
        FRAMES.put("SUBSCRIPTION_END", new SubscriptionEndFrame(7, SubscriptionEndFrame.Reason.OVERFLOW, "full"));
        FRAMES.put("TOPIC", new TopicFrame(2, pattern));
        FRAMES.put("EVENT", new EventFrame(new HubEvent.Added(pattern, 1)));
        FRAMES.put("HEARTBEAT", HeartbeatFrame.INSTANCE);
        FRAMES.put("ERROR", new ErrorFrame(ErrorCode.AUTHENTICATION_FAILED, "bad"));
        FRAMES.put("DECLARE", new DeclareFrame(3, 2, pattern));
        FRAMES.put("UNDECLARE", new UndeclareFrame(3));
        FRAMES.put("DECLARATION_REFUSED", new DeclarationRefusedFrame(3, "busy"));
        FRAMES.put("TOPIC_OPTIONS", new TopicOptionsFrame(2, pattern));
        FRAMES.put("DROPPED", new DroppedFrame(7, 300));
    }

    private static Map<String, byte[]> examples() throws IOException {
        Path doc = Path.of("docs", "wire-protocol.md");
        if (!Files.exists(doc)) {
            doc = Path.of("..", "docs", "wire-protocol.md");
        }
        String text = Files.readString(doc, StandardCharsets.UTF_8);
        Map<String, byte[]> examples = new LinkedHashMap<>();
        Matcher m = GOLDEN.matcher(text);
        while (m.find()) {
            examples.put(m.group(1), HexFormat.of().parseHex(m.group(2).replaceAll("\\s+", "")));
        }
        return examples;
    }

    @Test
    void everyExampleOfTheDocumentIsWhatTheCodecWritesAndReads() throws IOException {
        Map<String, byte[]> examples = examples();
        assertThat(examples.keySet()).containsExactlyInAnyOrderElementsOf(FRAMES.keySet());
        FrameEncoder<Frame> encoder = FrameEncoder.lengthPrefixed(FrameCodec.STRICT);
        FrameDecoder<Frame> decoder = FrameDecoder.lengthPrefixed(FrameCodec.STRICT, 65_535);
        for (Map.Entry<String, Frame> e : FRAMES.entrySet()) {
            byte[] golden = examples.get(e.getKey());
            ByteBuffer encoded = encoder.encode(e.getValue());
            byte[] bytes = new byte[encoded.remaining()];
            encoded.get(bytes);
            assertThat(HexFormat.ofDelimiter(" ").formatHex(bytes)).as("encoding of example %s", e.getKey())
                    .isEqualTo(HexFormat.ofDelimiter(" ").formatHex(golden));
            assertThat(FrameCodec.STRICT.encode(e.getValue())).as("body of example %s", e.getKey())
                    .isEqualTo(Arrays.copyOfRange(golden, 4, golden.length));
            ByteBuffer in = ByteBuffer.wrap(golden);
            assertThat(decoder.decode(in)).as("decoding of example %s", e.getKey()).isEqualTo(e.getValue());
            assertThat(in.hasRemaining()).isFalse();
        }
        // the data path writes the whole frame, prefix included, straight into the transport's buffer
        byte[] publish = examples.get("PUBLISH");
        PublishFrame frame = new PublishFrame(Key.parse("a.b"), "hi".getBytes(StandardCharsets.UTF_8));
        assertThat(encoder.frameLength(frame)).isEqualTo(publish.length);
        ByteBuffer out = ByteBuffer.allocate(publish.length);
        encoder.encode(frame, out);
        assertThat(out.array()).isEqualTo(publish);
    }

    @Test
    void everyFrameTypeHasAnExampleWithItsWireId() throws IOException {
        Map<String, byte[]> examples = examples();
        for (FrameType type : FrameType.values()) {
            byte[] golden = examples.get(type.name());
            assertThat(golden).as("example of %s", type).isNotNull();
            assertThat(golden[4] & 0xFF).as("type byte of %s", type).isEqualTo(type.id());
        }
    }

    @Test
    void malformedBodiesAreProtocolExceptionsNamingFieldAndOffset() {
        assertThatThrownBy(() -> FrameCodec.STRICT.decode(ByteBuffer.wrap(new byte[] {0x42})))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("unknown frame type 0x42");
        assertThatThrownBy(() -> FrameCodec.STRICT.decode(ByteBuffer.wrap(new byte[] {0x05, 0, 0, 0, 7, 0})))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("credit")
                .hasMessageContaining("at offset 5");
        byte[] unsubscribe = Arrays.copyOf(new UnsubscribeFrame(1).encode(), 6);
        assertThatThrownBy(() -> FrameCodec.STRICT.decode(ByteBuffer.wrap(unsubscribe)))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("1 bytes after its last field");
        byte[] pattern = new PublishFrame(Key.parse("a.b"), new byte[0]).encode();
        pattern[5] = '*'; // "a.*": a pattern where a concrete key is required
        assertThatThrownBy(() -> FrameCodec.STRICT.decode(ByteBuffer.wrap(pattern)))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("'a.*' is a pattern");
        assertThat(FrameCodec.LENIENT.decode(ByteBuffer.wrap(new byte[] {0x42})))
                .isInstanceOf(MalformedFrame.class);
    }
}
