package io.github.reactivepubsub.tcp.soup;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.reactivepubsub.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SoupCodecTest {

    /** A byte vector of {@code docs/soupbintcp.md}, section 9: its bytes and a factory of the packet they encode. */
    record Vector(String name, String hex, Supplier<SoupPacket> packet) {
        byte[] bytes() {
            return HexFormat.of().parseHex(hex.replace(" ", ""));
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static String spaces(int n) {
        return " 20".repeat(n);
    }

    static List<Vector> specStyleVectors() {
        return List.of(
                new Vector("L ABC/secret/blank/1", "00 2f 4c 41 42 43 20 20 20 73 65 63 72 65 74 20 20 20 20"
                        + spaces(10) + spaces(19) + " 31",
                        () -> new SoupPacket.LoginRequest("ABC", "secret", "", 1)),
                new Vector("A SESS1/42", "00 1f 41" + spaces(5) + " 53 45 53 53 31" + spaces(18) + " 34 32",
                        () -> new SoupPacket.LoginAccepted("SESS1", 42)),
                new Vector("J A", "00 02 4a 41", () -> new SoupPacket.LoginRejected(RejectReason.NOT_AUTHORIZED)),
                new Vector("J S", "00 02 4a 53",
                        () -> new SoupPacket.LoginRejected(RejectReason.SESSION_NOT_AVAILABLE)),
                new Vector("S hi", "00 03 53 68 69", () -> new SoupPacket.SequencedData(ascii("hi"))),
                new Vector("S empty", "00 01 53", () -> new SoupPacket.SequencedData(Unpooled.EMPTY_BUFFER)),
                new Vector("U hi", "00 03 55 68 69", () -> new SoupPacket.UnsequencedData(ascii("hi"))),
                new Vector("+ hello", "00 06 2b 68 65 6c 6c 6f", () -> new SoupPacket.Debug("hello")),
                new Vector("H", "00 01 48", () -> SoupPacket.ServerHeartbeat.INSTANCE),
                new Vector("R", "00 01 52", () -> SoupPacket.ClientHeartbeat.INSTANCE),
                new Vector("Z", "00 01 5a", () -> SoupPacket.EndOfSession.INSTANCE),
                new Vector("O", "00 01 4f", () -> SoupPacket.LogoutRequest.INSTANCE));
    }

    static List<Vector> allValidVectors() {
        List<Vector> all = new ArrayList<>(specStyleVectors());
        all.add(new Vector("A SESS1/42 nasdaq_protocols style", "00 1f 41 53 45 53 53 31" + spaces(5) + " 34 32"
                + spaces(18), () -> new SoupPacket.LoginAccepted("SESS1", 42)));
        return all;
    }

    private static ByteBuf ascii(String s) {
        return Unpooled.wrappedBuffer(s.getBytes(StandardCharsets.US_ASCII));
    }

    @ParameterizedTest(name = "encode {0}")
    @MethodSource("specStyleVectors")
    void encodesGoldenVector(Vector v) {
        SoupPacket packet = v.packet().get();
        ByteBuf out = SoupCodec.encode(PooledByteBufAllocator.DEFAULT, packet);
        try {
            assertThat(ByteBufUtil.hexDump(out)).isEqualTo(v.hex().replace(" ", ""));
            assertThat(SoupCodec.wireLength(packet)).isEqualTo(v.bytes().length);
        } finally {
            out.release();
            ReferenceCountUtil.release(packet);
        }
    }

    @ParameterizedTest(name = "decode {0} split at every byte")
    @MethodSource("allValidVectors")
    void decodesGoldenVectorSplitAtEveryByte(Vector v) {
        byte[] bytes = v.bytes();
        for (int split = 0; split <= bytes.length; split++) {
            EmbeddedChannel ch = channel();
            ch.writeInbound(Unpooled.copiedBuffer(bytes, 0, split));
            if (split < bytes.length) {
                assertThat((Object) ch.readInbound()).as("nothing before the last byte (split %d)", split).isNull();
                ch.writeInbound(Unpooled.copiedBuffer(bytes, split, bytes.length - split));
            }
            assertDecodedAs(ch.readInbound(), v);
            assertThat((Object) ch.readInbound()).isNull();
            assertThat(ch.finish()).isFalse();
        }
    }

    @Test
    void decodesEveryVectorConcatenatedInOneRead() {
        List<Vector> vectors = allValidVectors();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int round = 0; round < 3; round++) {
            vectors.forEach(v -> all.writeBytes(v.bytes()));
        }
        EmbeddedChannel ch = channel();
        ch.writeInbound(Unpooled.wrappedBuffer(all.toByteArray()));
        for (int round = 0; round < 3; round++) {
            for (Vector v : vectors) {
                assertDecodedAs(ch.readInbound(), v);
            }
        }
        assertThat((Object) ch.readInbound()).isNull();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void decodesConcatenatedVectorsFedByteByByte() {
        List<Vector> vectors = allValidVectors();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        vectors.forEach(v -> all.writeBytes(v.bytes()));
        EmbeddedChannel ch = channel();
        for (byte b : all.toByteArray()) {
            ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        for (Vector v : vectors) {
            assertDecodedAs(ch.readInbound(), v);
        }
        assertThat(ch.finish()).isFalse();
    }

    /**
     * A client's decoder passes each {@code S} on as the message itself, its payload copied and numbered from the
     * last Login Accepted: no packet object per message. Before any Login Accepted the number is 0 (the client
     * refuses such a message as a protocol error).
     */
    @Test
    void aClientsDecoderNumbersSequencedMessagesFromTheLastLoginAccepted() {
        EmbeddedChannel ch = new EmbeddedChannel(new SoupFrameDecoder(SoupPacketType.Sender.SERVER,
                SoupCodec.MAX_PACKET_LENGTH));
        ByteBuf bytes = Unpooled.buffer();
        for (Object packet : List.of("early", new SoupPacket.LoginAccepted("S1", 41), "a", "bc", "",
                SoupPacket.ServerHeartbeat.INSTANCE, "d")) {
            if (packet instanceof String payload) {
                SoupCodec.encodeSequenced(Unpooled.wrappedBuffer(payload.getBytes(US_ASCII)), bytes);
            } else {
                SoupCodec.encode((SoupPacket) packet, bytes);
            }
        }
        ch.writeInbound(bytes);

        assertThat((Object) ch.readInbound()).isEqualTo(new SequencedMessage(0, "early".getBytes(US_ASCII)));
        assertThat((Object) ch.readInbound()).isEqualTo(new SoupPacket.LoginAccepted("S1", 41));
        assertThat((Object) ch.readInbound()).isEqualTo(new SequencedMessage(41, "a".getBytes(US_ASCII)));
        assertThat((Object) ch.readInbound()).isEqualTo(new SequencedMessage(42, "bc".getBytes(US_ASCII)));
        assertThat((Object) ch.readInbound()).isEqualTo(new SequencedMessage(43, new byte[0]));
        assertThat((Object) ch.readInbound()).isSameAs(SoupPacket.ServerHeartbeat.INSTANCE);
        assertThat((Object) ch.readInbound()).isEqualTo(new SequencedMessage(44, "d".getBytes(US_ASCII)));
        assertThat((Object) ch.readInbound()).isNull();
        assertThat(ch.finish()).isFalse();
    }

    private static void assertDecodedAs(Object decoded, Vector v) {
        SoupPacket expected = v.packet().get();
        try {
            assertThat(decoded).as(v.name()).isNotNull().isInstanceOf(SoupPacket.class);
            SoupPacket packet = (SoupPacket) decoded;
            assertThat(packet.type()).isEqualTo(expected.type());
            if (expected instanceof io.netty.buffer.ByteBufHolder holder) {
                assertThat(ByteBufUtil.hexDump(((io.netty.buffer.ByteBufHolder) packet).content()))
                        .isEqualTo(ByteBufUtil.hexDump(holder.content()));
            } else {
                assertThat(packet).isEqualTo(expected);
            }
        } finally {
            ReferenceCountUtil.release(decoded);
            ReferenceCountUtil.release(expected);
        }
    }

    private static EmbeddedChannel channel() {
        return new EmbeddedChannel(new SoupFrameDecoder(SoupPacketType.Sender.EITHER, SoupCodec.MAX_PACKET_LENGTH));
    }

    // ---- invalid input

    static List<String[]> invalidVectors() {
        return List.of(
                new String[] {"00 00", "packet length 0", "0"},
                new String[] {"00 02 4f 00", "Logout Request must have N=1", "0"},
                new String[] {"00 01 3e", "unknown packet type", "2"},
                new String[] {"00 02 48 00", "Server Heartbeat must have N=1", "0"},
                new String[] {"00 01 4c", "Login Request must have N=47", "0"},
                new String[] {"00 34 4c", "SoupBinTCP 4.1 login", "0"},
                new String[] {"00 1e 41", "Login Accepted must have N=31", "0"},
                new String[] {"00 01 4a", "Login Rejected must have N=2", "0"},
                new String[] {"00 02 4a 58", "reject reason 'X'", "3"});
    }

    @ParameterizedTest(name = "invalid {0}")
    @MethodSource("invalidVectors")
    void invalidVectorIsProtocolError(String hex, String message, String offset) {
        byte[] bytes = HexFormat.of().parseHex(hex.replace(" ", ""));
        ByteBuf in = Unpooled.wrappedBuffer(bytes);
        assertThatThrownBy(() -> SoupCodec.decode(in, 0, SoupCodec.MAX_PACKET_LENGTH))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining(message)
                .extracting(e -> ((ProtocolException) e).offset()).isEqualTo(Integer.parseInt(offset));
        assertThat(in.readerIndex()).as("nothing consumed").isZero();
    }

    @Test
    void protocolErrorNamesTypeLengthAndStreamOffset() {
        // a valid H, then an O with a trailing byte at stream offset 3
        EmbeddedChannel ch = channel();
        List<Throwable> errors = new ArrayList<>();
        captureErrors(ch, errors);
        ch.writeInbound(Unpooled.wrappedBuffer(HexFormat.of().parseHex("0001480002" + "4f00" + "000153")));
        assertThat((Object) ch.readInbound()).isEqualTo(SoupPacket.ServerHeartbeat.INSTANCE);
        assertThat((Object) ch.readInbound()).as("nothing after the bad packet").isNull();
        assertThat(errors).singleElement().isInstanceOf(ProtocolException.class);
        ProtocolException caught = (ProtocolException) errors.get(0);
        assertThat(caught.getMessage()).contains("'O' (0x4f)").contains("N=2").contains("stream offset 3");
        assertThat(caught.offset()).isEqualTo(3);
        // later bytes are discarded, not decoded
        ch.writeInbound(Unpooled.wrappedBuffer(HexFormat.of().parseHex("000148")));
        assertThat((Object) ch.readInbound()).isNull();
        ch.finish();
    }

    @Test
    void packetLongerThanMaxPacketLengthFailsAsSoonAsTheLengthArrives() {
        EmbeddedChannel ch = new EmbeddedChannel(new SoupFrameDecoder(SoupPacketType.Sender.EITHER, 100));
        List<Throwable> caught = new ArrayList<>();
        captureErrors(ch, caught);
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x00, 0x65}));
        assertThat(caught).singleElement().asString().contains("packet length 101 exceeds maxPacketLength 100");
        ch.finish();
    }

    @Test
    void wrongDirectionPacketIsProtocolError() {
        EmbeddedChannel server = new EmbeddedChannel(new SoupFrameDecoder(SoupPacketType.Sender.CLIENT, 65_535));
        List<Throwable> caught = new ArrayList<>();
        captureErrors(server, caught);
        server.writeInbound(Unpooled.wrappedBuffer(HexFormat.of().parseHex("0001520003536869")));
        assertThat((Object) server.readInbound()).isEqualTo(SoupPacket.ClientHeartbeat.INSTANCE);
        assertThat((Object) server.readInbound()).isNull();
        assertThat(caught).singleElement().asString()
                .contains("Sequenced Data is sent by the server, never by the client").contains("stream offset 3");
        server.finish();
    }

    private static void captureErrors(EmbeddedChannel ch, List<Throwable> caught) {
        ch.pipeline().addLast(new io.netty.channel.ChannelInboundHandlerAdapter() {
            @Override
            public void exceptionCaught(io.netty.channel.ChannelHandlerContext ctx, Throwable cause) {
                caught.add(cause);
            }
        });
    }

    // ---- fields

    @Test
    void decodesNumbersPaddedEitherSideWithSpacesOrNuls() {
        byte[] login = loginBytes("ABC   ", "secret    ", "  SESS1   ", "\0\0  000000123\0\0     ");
        SoupPacket packet = SoupCodec.decode(Unpooled.wrappedBuffer(login), 0, 65_535);
        assertThat(packet).isEqualTo(new SoupPacket.LoginRequest("ABC", "secret", "SESS1", 123));
    }

    @Test
    void blankNumberIsProtocolErrorInLoginAcceptedAndALoginProblemInLoginRequest() {
        byte[] accepted = acceptedBytes("     SESS1", " ".repeat(20));
        assertThatThrownBy(() -> SoupCodec.decode(Unpooled.wrappedBuffer(accepted), 100, 65_535))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("sequence number is blank")
                .hasMessageContaining("'A' (0x41) N=31")
                .extracting(e -> ((ProtocolException) e).offset()).isEqualTo(113);
        // a Login Request is answered with a Login Reject instead: the packet carries why
        byte[] login = loginBytes("ABC   ", "secret    ", "          ", " ".repeat(20));
        SoupPacket.LoginRequest request = (SoupPacket.LoginRequest) SoupCodec.decode(Unpooled.wrappedBuffer(login), 0,
                65_535);
        assertThat(request.sequenceError()).isEqualTo("the field is blank; expected unsigned decimal digits");
    }

    @Test
    void nonDigitNumberIsProtocolErrorInLoginAcceptedAndALoginProblemInLoginRequest() {
        byte[] accepted = acceptedBytes("     SESS1", " ".repeat(17) + "1x2");
        assertThatThrownBy(() -> SoupCodec.decode(Unpooled.wrappedBuffer(accepted), 0, 65_535))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("byte 0x78 where a decimal digit was expected")
                .extracting(e -> ((ProtocolException) e).offset()).isEqualTo(31);
        byte[] login = loginBytes("ABC   ", "secret    ", "          ", " ".repeat(16) + "-1\r\n");
        SoupPacket.LoginRequest request = (SoupPacket.LoginRequest) SoupCodec.decode(Unpooled.wrappedBuffer(login), 0,
                65_535);
        assertThat(request.sequenceError()).startsWith("byte 16 of the field is '-' where a decimal digit")
                .contains("-1\\r\\n')").doesNotContain("\r");
        assertThat(request.toString()).contains("sequence=invalid (").doesNotContain("\n");
    }

    @Test
    void numberBeyondSignedLongIsProtocolErrorInLoginAcceptedAndBeyondEveryStreamInLoginRequest() {
        byte[] accepted = acceptedBytes("     SESS1", " 9223372036854775808");
        assertThatThrownBy(() -> SoupCodec.decode(Unpooled.wrappedBuffer(accepted), 0, 65_535))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("sequence number '9223372036854775808' exceeds 9223372036854775806");
        for (String field : new String[] {" 9223372036854775807", " 9223372036854775808", "9".repeat(20)}) {
            byte[] login = loginBytes("ABC   ", "secret    ", "          ", field);
            assertThat(((SoupPacket.LoginRequest) SoupCodec.decode(Unpooled.wrappedBuffer(login), 0, 65_535))
                    .sequence()).as(field).isEqualTo(Long.MAX_VALUE);
        }
    }

    /**
     * The number after a message must fit a signed 64-bit counter: a Login Accepted at {@code Long.MAX_VALUE} (or
     * more) is refused where it is decoded, naming the field, its value and where it is; one below is the largest.
     */
    @ParameterizedTest(name = "A at {0}")
    @ValueSource(strings = {" 9223372036854775807", "99999999999999999999", "09223372036854775807",
        "9223372036854775807 "})
    void loginAcceptedAtOrBeyondLongMaxValueIsAProtocolErrorNamingTheValue(String sequence) {
        byte[] accepted = acceptedBytes("     SESS1", sequence);
        assertThatThrownBy(() -> SoupCodec.decode(Unpooled.wrappedBuffer(accepted), 100, 65_535))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("sequence number '" + sequence.strip() + "' exceeds 9223372036854775806")
                .hasMessageContaining("'A' (0x41) N=31")
                .extracting(e -> ((ProtocolException) e).offset()).isEqualTo(113);
        byte[] largest = acceptedBytes("     SESS1", " 9223372036854775806");
        assertThat(SoupCodec.decode(Unpooled.wrappedBuffer(largest), 0, 65_535))
                .isEqualTo(new SoupPacket.LoginAccepted("SESS1", Long.MAX_VALUE - 1));
    }

    /**
     * A client's decoder numbers messages up to {@code Long.MAX_VALUE - 1}; an {@code S} that would be numbered
     * {@code Long.MAX_VALUE} is a protocol error instead of a number that wraps to negative.
     */
    @Test
    void aClientsDecoderRefusesToNumberAMessageBeyondTheLargestSequenceNumber() {
        EmbeddedChannel ch = new EmbeddedChannel(new SoupFrameDecoder(SoupPacketType.Sender.SERVER,
                SoupCodec.MAX_PACKET_LENGTH));
        List<Throwable> caught = new ArrayList<>();
        captureErrors(ch, caught);
        ByteBuf bytes = Unpooled.buffer();
        SoupCodec.encode(new SoupPacket.LoginAccepted("S1", Long.MAX_VALUE - 1), bytes);
        SoupCodec.encodeSequenced(Unpooled.wrappedBuffer("a".getBytes(US_ASCII)), bytes);
        SoupCodec.encodeSequenced(Unpooled.wrappedBuffer("b".getBytes(US_ASCII)), bytes);
        ch.writeInbound(bytes);

        assertThat((Object) ch.readInbound()).isEqualTo(new SoupPacket.LoginAccepted("S1", Long.MAX_VALUE - 1));
        assertThat((Object) ch.readInbound()).isEqualTo(new SequencedMessage(Long.MAX_VALUE - 1,
                "a".getBytes(US_ASCII)));
        assertThat((Object) ch.readInbound()).as("nothing numbered beyond").isNull();
        assertThat(caught).singleElement().isInstanceOf(ProtocolException.class).asString()
                .contains("Sequenced Data would be numbered 9223372036854775807")
                .contains("beyond the largest sequence number 9223372036854775806")
                .contains("stream offset 37");
        ch.finish();
    }

    private static byte[] acceptedBytes(String session, String sequence) {
        String body = session + sequence;
        assertThat(body).hasSize(30);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0x00, 0x1f, 'A'});
        out.writeBytes(body.getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }

    @Test
    void nonAsciiFieldIsProtocolError() {
        byte[] login = loginBytes("ABC   ", "secret    ", "          ", " ".repeat(19) + "1");
        login[5] = (byte) 0xe9;
        assertThatThrownBy(() -> SoupCodec.decode(Unpooled.wrappedBuffer(login), 0, 65_535))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("username has the non-ASCII byte 0xe9")
                .extracting(e -> ((ProtocolException) e).offset()).isEqualTo(5);
    }

    private static byte[] loginBytes(String user, String password, String session, String sequence) {
        String body = user + password + session + sequence;
        assertThat(body).hasSize(46);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0x00, 0x2f, 'L'});
        out.writeBytes(body.getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }

    @Test
    void encodeRejectsOverlongAndNonAsciiFields() {
        assertThatThrownBy(() -> new SoupPacket.LoginRequest("ABCDEFG", "pw", "", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("username 'ABCDEFG' has 7 characters, the field holds at most 6");
        assertThatThrownBy(() -> new SoupPacket.LoginRequest("ABC", "12345678901", "", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("password has 11 characters, the field holds at most 10"); // never the password itself
        assertThatThrownBy(() -> new SoupLogin("ABC", "s\u00e9cret", "", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("password has a non-ASCII character at index 1; SoupBinTCP fields are ASCII");
        assertThatThrownBy(() -> new SoupPacket.LoginAccepted("SESSION-123", 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 10");
        assertThatThrownBy(() -> new SoupPacket.LoginAccepted("S", -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
        assertThatThrownBy(() -> new SoupPacket.Debug("caf\u00e9"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("non-ASCII");
        ByteBuf big = Unpooled.wrappedBuffer(new byte[65_535]);
        assertThatThrownBy(() -> SoupCodec.encode(PooledByteBufAllocator.DEFAULT, new SoupPacket.SequencedData(big)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("65536 exceeds");
    }

    @Test
    void largestPayloadRoundTrips() {
        byte[] payload = new byte[65_534];
        payload[65_533] = 7;
        ByteBuf out = SoupCodec.encode(PooledByteBufAllocator.DEFAULT,
                new SoupPacket.SequencedData(Unpooled.wrappedBuffer(payload)));
        try {
            assertThat(out.getUnsignedShort(0)).isEqualTo(65_535);
            SoupPacket decoded = SoupCodec.decode(out, 0, 65_535);
            assertThat(decoded).isInstanceOf(SoupPacket.SequencedData.class);
            assertThat(((SoupPacket.SequencedData) decoded).content().getByte(65_533)).isEqualTo((byte) 7);
            ReferenceCountUtil.release(decoded);
        } finally {
            out.release();
        }
    }

    @Test
    void passwordIsHiddenInToString() {
        assertThat(new SoupPacket.LoginRequest("ABC", "secret", "S1", 5).toString())
                .doesNotContain("secret").contains("ABC").contains("****");
    }
}
