package io.github.reactivepubsub.codec;

import static io.github.reactivepubsub.codec.Fixtures.ADD_ORDER;
import static io.github.reactivepubsub.codec.Fixtures.ENTER_ORDER;
import static io.github.reactivepubsub.codec.Fixtures.ITCH;
import static io.github.reactivepubsub.codec.Fixtures.OUCH_IN;
import static io.github.reactivepubsub.codec.Fixtures.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.reactivepubsub.ProtocolException;
import io.github.reactivepubsub.codec.Fixtures.AddOrder;
import io.github.reactivepubsub.codec.Fixtures.CancelOrder;
import io.github.reactivepubsub.codec.Fixtures.EnterOrder;
import io.github.reactivepubsub.codec.Fixtures.SpecOrder;
import io.github.reactivepubsub.codec.Fixtures.SystemEvent;
import io.github.reactivepubsub.codec.MessageRegistry.Direction;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageRegistryTest {

    /** The ITCH 5.0 Add Order layout written field by field with plain ByteBuffer puts. */
    private static byte[] handWritten(AddOrder o) {
        ByteBuffer b = ByteBuffer.allocate(36);
        b.put((byte) 'A').putShort((short) o.stockLocate()).putShort((short) o.trackingNumber())
                .putShort((short) o.timestampHigh()).putInt((int) o.timestampLow()).putLong(o.orderReference())
                .put((byte) o.side()).putInt((int) o.shares()).put(String.format("%-8s", o.stock()).getBytes(
                        java.nio.charset.StandardCharsets.US_ASCII)).putInt((int) o.price());
        return b.array();
    }

    @Test
    void encodesAnItchAddOrderAsItsThirtySixWireBytes() {
        AddOrder order = Fixtures.sampleAddOrder();
        String wire = "41 1f 47 00 00 12 34 56 78 9a bc 01 02 03 04 05 06 07 08 42 00 00 00 64"
                + " 41 41 50 4c 20 20 20 20 00 16 ed 24";
        assertThat(hex(ITCH.encode(order))).isEqualTo(wire).isEqualTo(hex(handWritten(order)));
        assertThat(ADD_ORDER.size(order)).isEqualTo(36);
        assertThat(ITCH.decode(ByteBuffer.wrap(hex(wire)))).isEqualTo(order);
    }

    @Test
    void encodesAnOuchEnterOrderWithItsOptionalBlockAndTags() {
        EnterOrder order = Fixtures.sampleEnterOrder();
        String ouch42 = "4f" + " 4f 52 44 30 30 30 31" + " 20".repeat(7) + " 42 00 00 01 2c 4d 53 46 54 20 20 20 20"
                + " 00 32 60 7c 00 01 86 9f 46 49 52 4d 59 41 4e 00 00 00 00 4e 52";
        String extensions = " 01 47 49 56 45 01" + " 02 00" + " 00 07 06 00 5a fc 72 69 63 68" + " ff ff 00 00";
        byte[] bytes = OUCH_IN.encode(order);
        assertThat(hex(bytes)).isEqualTo(ouch42 + extensions);
        assertThat(hex(bytes).substring(0, ouch42.length()).split(" ")).as("OUCH 4.2 Enter Order").hasSize(49);
        assertThat(OUCH_IN.decode(ByteBuffer.wrap(bytes))).isEqualTo(order);
    }

    @Test
    void decodesEachMessageByItsIndicator() {
        SystemEvent start = new SystemEvent(0, 1, 0, 42, 'O');
        ByteBuffer stream = ByteBuffer.allocate(64);
        ITCH.encode(start, stream);
        ITCH.encode(Fixtures.sampleAddOrder(), stream);
        stream.flip();
        assertThat(List.of(ITCH.decode(stream), ITCH.decode(stream))).containsExactly(start,
                Fixtures.sampleAddOrder());
        assertThat(stream.hasRemaining()).isFalse();
        assertThat(ITCH.definition('S')).hasValue(Fixtures.SYSTEM_EVENT);
        assertThat(ITCH.definition(AddOrder.class)).hasValue(ADD_ORDER);
        assertThat(ITCH.definition('Q')).isEmpty();
    }

    @Test
    void rejectsAnUnknownIndicatorAtOffsetZeroListingTheKnownOnes() {
        ByteBuffer buffer = ByteBuffer.wrap(hex("51 00 00"));
        assertThatThrownBy(() -> ITCH.decode(buffer))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.offset()).isZero())
                .hasMessage("ITCH/OUTGOING: unknown indicator 'Q' (0x51); expected one of ['A' (0x41) AddOrder,"
                        + " 'S' (0x53) SystemEvent] (at offset 0)");
        assertThat(buffer.position()).isZero();
        assertThatThrownBy(() -> ITCH.decode(ByteBuffer.allocate(0)))
                .hasMessage("ITCH/OUTGOING: expected an indicator byte, found end of input (at offset 0)");
        assertThatThrownBy(() -> ITCH.decode(ByteBuffer.wrap(hex("ff"))))
                .hasMessageStartingWith("ITCH/OUTGOING: unknown indicator 0xff;");
    }

    @Test
    void rejectsADuplicateIndicatorWithinOneApplicationAndDirection() {
        MessageRegistry.Builder itch = MessageRegistry.builder("ITCH", Direction.OUTGOING).register(ADD_ORDER);
        MessageDefinition<SpecOrder> alsoA = MessageDefinition.of('A', Fixtures.SPEC_ORDER_BODY);
        assertThatThrownBy(() -> itch.register(alsoA)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ITCH/OUTGOING: indicator 'A' (0x41) of SpecOrder is already registered for AddOrder");
        assertThatThrownBy(() -> itch.register(MessageDefinition.of('B', ADD_ORDER.body())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("record type " + AddOrder.class.getName() + " is already registered as 'A'");
    }

    @Test
    void decodesTheSameIndicatorAsADifferentMessageInAnotherApplicationOrDirection() {
        MessageRegistry spec = MessageRegistry.builder("SPEC", Direction.INCOMING)
                .register(Fixtures.SPEC_ORDER)
                .build();
        MessageRegistry ouchOut = MessageRegistry.builder("OUCH", Direction.OUTGOING)
                .register(MessageDefinition.of('O', Fixtures.CANCEL_ORDER.body()))
                .build();
        EnterOrder enter = Fixtures.sampleEnterOrder();
        SpecOrder specOrder = new SpecOrder(9, 8, 'S', "X", "");
        CancelOrder cancel = new CancelOrder("T1", 5);

        assertThat(OUCH_IN.decode(ByteBuffer.wrap(OUCH_IN.encode(enter)))).isEqualTo(enter);
        assertThat(spec.decode(ByteBuffer.wrap(spec.encode(specOrder)))).isEqualTo(specOrder);
        assertThat(ouchOut.decode(ByteBuffer.wrap(ouchOut.encode(cancel)))).isEqualTo(cancel);
        assertThat(List.of(OUCH_IN.encode(enter)[0], spec.encode(specOrder)[0], ouchOut.encode(cancel)[0]))
                .containsOnly((byte) 'O');
    }

    @Test
    void encodesByRecordTypeAndRejectsUnregisteredTypes() {
        assertThat(OUCH_IN.encode(new CancelOrder("T1", 5))[0]).isEqualTo((byte) 'X');
        assertThatThrownBy(() -> OUCH_IN.encode(Fixtures.sampleAddOrder()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("OUCH/INCOMING: no message definition for record type " + AddOrder.class.getName()
                        + "; registered: [CancelOrder, EnterOrder]");
    }

    @Test
    void aDefinitionOnItsOwnInsistsOnItsIndicator() {
        assertThatThrownBy(() -> ADD_ORDER.decode(ByteBuffer.wrap(hex("53 00"))))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.offset()).isZero())
                .hasMessage("indicator 'S' (0x53) found, expected 'A' (0x41) AddOrder (at offset 0)");
        assertThatThrownBy(() -> MessageDefinition.of(256, ADD_ORDER.body()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("indicator 256 out of range 0..255 (one unsigned byte) for message AddOrder");
    }

    @Test
    void isACodecOfRecords() {
        Codec<Record> codec = OUCH_IN;
        ByteBuffer out = ByteBuffer.allocate(128);
        codec.encode(Fixtures.sampleEnterOrder(), out);
        assertThat(out.position()).isEqualTo(OUCH_IN.size(Fixtures.sampleEnterOrder()));
        assertThat(codec.decode(out.flip())).isEqualTo(Fixtures.sampleEnterOrder());
        assertThat(ENTER_ORDER.type()).isEqualTo(EnterOrder.class);
        assertThat(ENTER_ORDER.indicator()).isEqualTo('O');
    }
}
