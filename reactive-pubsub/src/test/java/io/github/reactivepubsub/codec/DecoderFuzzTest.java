package io.github.reactivepubsub.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.reactivepubsub.Allocation;
import io.github.reactivepubsub.ProtocolException;
import io.github.reactivepubsub.codec.DecoderRobustnessTest.Subject;
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

    private static final List<Subject> REGISTRIES = List.of(
            DecoderRobustnessTest.binary("ITCH registry", Fixtures.ITCH),
            DecoderRobustnessTest.binary("OUCH registry", Fixtures.OUCH_IN));
    private static final List<Subject> RECORDS = List.of(
            DecoderRobustnessTest.binary("SpecOrder record", Fixtures.SPEC_ORDER_BODY),
            DecoderRobustnessTest.binary("WithOptional record", RecordDefinitionTest.WITH_OPTIONAL),
            DecoderRobustnessTest.binary("Firm record", Fixtures.FIRM),
            DecoderRobustnessTest.binary("Tag record", Fixtures.TAG),
            DecoderRobustnessTest.binary("Inner record", RecordDefinitionTest.INNER),
            DecoderRobustnessTest.binary("Array(Inner)", FieldType.array(FieldType.record(RecordDefinitionTest.INNER))),
            DecoderRobustnessTest.binary("Array(Array(AsciiString))",
                    FieldType.array(FieldType.array(FieldType.ASCII_STRING, FieldType.UNSIGNED_INT), FieldType.BYTE)),
            DecoderRobustnessTest.binary("Optional(Inner)", FieldType.optional(RecordDefinitionTest.INNER)));
    private static final List<Subject> EVERY_DECODER = DecoderRobustnessTest.subjects();

    /** {@link MessageRegistry#decode}: indicator byte, then the message's fields (ITCH and OUCH registries). */
    @FuzzTest
    void messageRegistry(byte[] input) {
        for (Subject registry : REGISTRIES) {
            check(registry, input);
        }
    }

    /** {@link RecordDefinition#decode}: records with strings, nested and optional records, arrays of them. */
    @FuzzTest
    void recordDefinition(byte[] input) {
        for (Subject record : RECORDS) {
            check(record, input);
        }
    }

    /**
     * One decoder, picked by the input's first byte, on the rest: every field type on its own, the test records and
     * messages, both registries, the UTF-8 and bytes codecs ({@link DecoderRobustnessTest#subjects()}).
     */
    @FuzzTest
    void everyDecoder(FuzzedDataProvider data) {
        Subject subject = data.pickValue(EVERY_DECODER);
        check(subject, data.consumeRemainingAsBytes());
    }

    private static void check(Subject subject, byte[] input) {
        decodeOrReject(subject, input); // warms up the paths this input takes, so that the measured run is steady
        long before = Allocation.allocated();
        Object value = decodeOrReject(subject, input);
        Allocation.checkBounded(subject.name(), Allocation.allocated() - before, input.length);
        if (value != null) {
            byte[] again = subject.encode().apply(value);
            assertThat(subject.decode().apply(ByteBuffer.wrap(again))).as("%s re-decoded", subject).isEqualTo(value);
        }
    }

    /** @return the value, or null when the input was rejected (as it may only be: a ProtocolException) */
    private static Object decodeOrReject(Subject subject, byte[] input) {
        ByteBuffer buffer = ByteBuffer.wrap(input);
        try {
            return subject.decode().apply(buffer);
        } catch (ProtocolException e) {
            assertThat(e.offset()).as("%s offset", subject).isBetween(-1, input.length);
            assertThat(buffer.position()).as("%s position after failure", subject).isZero();
            return null;
        }
    }
}
