package io.github.reactivepubsub.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.reactivepubsub.Allocation;
import io.github.reactivepubsub.ProtocolException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Fuzz targets for the binary decoders (Jazzer; see docs/reliability.md). Each decodes the input with every decoder
 * of its kind: the only failure allowed is a {@link ProtocolException} with an offset inside the input and the
 * buffer left where it was; what decodes must encode again and decode to an equal value; and one decode allocates
 * at most {@link Allocation#SLACK} plus {@link Allocation#PER_INPUT_BYTE} per input byte, whatever the lengths and
 * counts in the input claim.
 *
 * <p>Every build replays the committed corpus in {@code DecoderFuzzTestInputs/<method>/} (test resources).
 */
class DecoderFuzzTest {

    private static final List<BinaryCodec<?>> REGISTRIES = List.of(Fixtures.ITCH, Fixtures.OUCH_IN);
    private static final List<BinaryCodec<?>> RECORDS = List.of(Fixtures.SPEC_ORDER_BODY,
            RecordDefinitionTest.WITH_OPTIONAL, Fixtures.FIRM, Fixtures.TAG, RecordDefinitionTest.INNER,
            FieldType.array(FieldType.record(RecordDefinitionTest.INNER)),
            FieldType.array(FieldType.array(FieldType.ASCII_STRING, FieldType.UNSIGNED_INT), FieldType.BYTE),
            FieldType.optional(RecordDefinitionTest.INNER));

    /** {@link MessageRegistry#decode}: indicator byte, then the message's fields (ITCH and OUCH registries). */
    @FuzzTest
    void messageRegistry(byte[] input) {
        for (BinaryCodec<?> registry : REGISTRIES) {
            check(registry, input);
        }
    }

    /** {@link RecordDefinition#decode}: records with strings, nested and optional records, arrays of them. */
    @FuzzTest
    void recordDefinition(byte[] input) {
        for (BinaryCodec<?> record : RECORDS) {
            check(record, input);
        }
    }

    private static <T> void check(BinaryCodec<T> codec, byte[] input) {
        decodeOrReject(codec, input); // warms up the paths this input takes, so that the measured run is steady
        long before = Allocation.allocated();
        T value = decodeOrReject(codec, input);
        Allocation.checkBounded(codec.toString(), Allocation.allocated() - before, input.length);
        if (value != null) {
            byte[] again = codec.encode(value);
            assertThat(codec.decode(ByteBuffer.wrap(again))).as("%s re-decoded", codec).isEqualTo(value);
        }
    }

    /** @return the value, or null when the input was rejected (as it may only be: a ProtocolException) */
    private static <T> T decodeOrReject(BinaryCodec<T> codec, byte[] input) {
        ByteBuffer buffer = ByteBuffer.wrap(input);
        try {
            return codec.decode(buffer);
        } catch (ProtocolException e) {
            assertThat(e.offset()).as("%s offset", codec).isBetween(-1, input.length);
            assertThat(buffer.position()).as("%s position after failure", codec).isZero();
            return null;
        }
    }
}
