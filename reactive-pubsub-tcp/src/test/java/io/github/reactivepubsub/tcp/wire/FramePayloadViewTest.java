package io.github.reactivepubsub.tcp.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivepubsub.Key;
import io.github.reactivepubsub.codec.Codecs;
import io.github.reactivepubsub.session.FrameDecoder;
import io.github.reactivepubsub.session.FrameEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The payload of a decoded PUBLISH or MESSAGE is a view of the received bytes, not a copy; encoding, equality and
 * {@code toString} leave its position where it is, and its one consumer (a codec) reads it once.
 */
class FramePayloadViewTest {

    private static final Key KEY = Key.parse("a.b");

    @Test
    void aDecodedPublishPayloadIsAViewOfTheBody() {
        byte[] body = new PublishFrame(KEY, utf8("hello")).encode();
        ByteBuffer in = ByteBuffer.wrap(body);
        PublishFrame frame = (PublishFrame) FrameCodec.STRICT.decode(in);
        assertThat(in.hasRemaining()).as("the body is consumed").isFalse();
        ByteBuffer payload = frame.payload();
        assertThat(payload.hasArray()).isTrue();
        assertThat(payload.array()).as("the body's array, not a copy").isSameAs(body);
        assertThat(payload.arrayOffset() + payload.position()).isEqualTo(1 + 2 + 3); // type, key length, "a.b"
        assertThat(payload.remaining()).isEqualTo(5);
        assertThat(Codecs.utf8().decode(payload)).isEqualTo("hello");
        assertThat(payload.hasRemaining()).as("its consumer read it").isFalse();
    }

    @Test
    void aDecodedMessagePayloadIsAViewOfTheBody() {
        byte[] body = new MessageFrame(7, KEY, utf8("hello")).encode();
        MessageFrame frame = (MessageFrame) FrameCodec.STRICT.decode(ByteBuffer.wrap(body));
        assertThat(frame.payload().array()).as("the body's array, not a copy").isSameAs(body);
        assertThat(frame.payload().arrayOffset() + frame.payload().position()).isEqualTo(1 + 4 + 2 + 3);
        assertThat(frame).isEqualTo(new MessageFrame(7, KEY, utf8("hello")));
    }

    @Test
    void framesOfOneReadShareItsArray() {
        FrameEncoder<Frame> encoder = FrameEncoder.lengthPrefixed(FrameCodec.STRICT);
        ByteBuffer first = encoder.encode(new MessageFrame(1, KEY, utf8("one")));
        ByteBuffer second = encoder.encode(new PublishFrame(KEY, utf8("two")));
        ByteBuffer read = ByteBuffer.allocate(first.remaining() + second.remaining()).put(first).put(second).flip();
        FrameDecoder<Frame> decoder = FrameDecoder.lengthPrefixed(FrameCodec.STRICT, 65_535);
        MessageFrame message = (MessageFrame) decoder.decode(read);
        PublishFrame publish = (PublishFrame) decoder.decode(read);
        assertThat(message.payload().array()).isSameAs(read.array());
        assertThat(publish.payload().array()).isSameAs(read.array());
        assertThat(FramePayloads.utf8(message.payload())).isEqualTo("one");
        assertThat(FramePayloads.utf8(publish.payload())).isEqualTo("two");
    }

    @Test
    void encodingADecodedFrameRoundTripsWithoutMovingItsPayload() {
        byte[] publishBody = new PublishFrame(KEY, utf8("hi")).encode();
        PublishFrame publish = (PublishFrame) FrameCodec.STRICT.decode(ByteBuffer.wrap(publishBody));
        int position = publish.payload().position();
        assertThat(publish.encode()).isEqualTo(publishBody);
        assertThat(publish.encode()).as("encoded twice").isEqualTo(publishBody);
        assertThat(bytes(publish.encodeFramed())).isEqualTo(framed(publishBody));
        assertThat(publish.payload().position()).isEqualTo(position);
        assertThat(publish.payload().remaining()).isEqualTo(2);

        byte[] messageBody = new MessageFrame(7, KEY, utf8("hi")).encode();
        MessageFrame message = (MessageFrame) FrameCodec.STRICT.decode(ByteBuffer.wrap(messageBody));
        position = message.payload().position();
        assertThat(message.encode()).isEqualTo(messageBody);
        assertThat(bytes(message.encodeFramed())).isEqualTo(framed(messageBody));
        assertThat(bytes(message.encodeFramed())).as("encoded twice").isEqualTo(framed(messageBody));
        assertThat(message.payload().position()).isEqualTo(position);
        assertThat(message.payload().remaining()).isEqualTo(2);
    }

    @Test
    void aPayloadWithoutAnArrayEncodesTheSameBytesWithoutMoving() {
        ByteBuffer direct = ByteBuffer.allocateDirect(8).put(utf8("xxhiyy")).position(2).limit(4);
        ByteBuffer readOnly = ByteBuffer.wrap(utf8("xxhiyy"), 2, 2).asReadOnlyBuffer();
        for (ByteBuffer payload : new ByteBuffer[] {direct, readOnly}) {
            assertThat(new PublishFrame(KEY, payload).encode()).isEqualTo(new PublishFrame(KEY, utf8("hi")).encode());
            assertThat(bytes(new MessageFrame(7, KEY, payload).encodeFramed()))
                    .isEqualTo(bytes(new MessageFrame(7, KEY, utf8("hi")).encodeFramed()));
            assertThat(payload.position()).isEqualTo(2);
            assertThat(payload.limit()).isEqualTo(4);
        }
    }

    @Test
    void equalityHashAndTextAreByTheRemainingBytesAndMoveNothing() {
        ByteBuffer offset = ByteBuffer.wrap(utf8("xxhi")).position(2);
        PublishFrame publish = new PublishFrame(KEY, offset);
        assertThat(publish).isEqualTo(new PublishFrame(KEY, utf8("hi")))
                .hasSameHashCodeAs(new PublishFrame(KEY, utf8("hi")))
                .isNotEqualTo(new PublishFrame(KEY, utf8("ho")));
        assertThat(publish.toString()).isEqualTo("PublishFrame[key=a.b, payload=2 bytes]");
        MessageFrame message = new MessageFrame(7, KEY, offset);
        assertThat(message).isEqualTo(new MessageFrame(7, KEY, utf8("hi")))
                .hasSameHashCodeAs(new MessageFrame(7, KEY, utf8("hi")))
                .isNotEqualTo(new MessageFrame(8, KEY, utf8("hi")));
        assertThat(message.toString()).isEqualTo("MessageFrame[id=7, key=a.b, payload=2 bytes]");
        assertThat(offset.position()).isEqualTo(2);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** @return the remaining bytes of {@code buffer}, read from a duplicate */
    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }

    /** @return {@code body} behind its 4-byte big-endian length */
    private static byte[] framed(byte[] body) {
        return ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
    }

    /**
     * A frame made from the sender's array is encoded from the array itself (no view of it is needed), equals the
     * decoded frame of the same bytes, and gives one view of the array (not a copy) when asked.
     */
    @Test
    void aFrameFromAnArrayEncodesTheArrayAndEqualsItsDecodedFrame() {
        byte[] payload = utf8("hello");
        PublishFrame sent = new PublishFrame(KEY, payload);
        MessageFrame forwarded = new MessageFrame(7, KEY, payload);
        assertThat(sent.payloadLength()).isEqualTo(5);
        ByteBuffer out = ByteBuffer.allocate(sent.framedLength());
        sent.encodeFramed(out);
        assertThat(out.hasRemaining()).isFalse();

        PublishFrame decoded = (PublishFrame) FrameCodec.STRICT.decode(out.flip().position(4));
        assertThat(decoded).isEqualTo(sent).hasSameHashCodeAs(sent);
        MessageFrame decodedMessage = (MessageFrame) FrameCodec.STRICT.decode(ByteBuffer.wrap(forwarded.encode()));
        assertThat(decodedMessage).isEqualTo(forwarded).hasSameHashCodeAs(forwarded);
        assertThat(sent.payload().array()).as("a view of the array, not a copy").isSameAs(payload);
        assertThat(sent.payload()).as("one view").isSameAs(sent.payload());
        assertThat(sent).hasToString("PublishFrame[key=a.b, payload=5 bytes]");
    }
}
