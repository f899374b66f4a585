package io.github.reactivepubsub.codec;

import static io.github.reactivepubsub.codec.Fixtures.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.reactivepubsub.ProtocolException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Malformed input may only ever produce a {@link ProtocolException}: a property test over random and mutated
 * buffers for every decoder, and allocation checks against hostile length prefixes and counts.
 */
class DecoderRobustnessTest {

    /**
     * Random and mutated buffers per run. Each goes through every decoder below; the coverage-guided search over the
     * same decoders is {@code DecoderFuzzTest#everyDecoder}, whose corpus every build replays too.
     */
    private static final int BUFFERS = 20_000;

    /** A decoder under test with its matching encoder, for the decode-encode-decode check. */
    record Subject(String name, Function<ByteBuffer, Object> decode, Function<Object, byte[]> encode) {
        @Override
        public String toString() {
            return name;
        }
    }

    @SuppressWarnings("unchecked")
    static <T> Subject binary(String name, BinaryCodec<T> codec) {
        return new Subject(name, codec::decode, v -> codec.encode((T) v));
    }

    @SuppressWarnings("unchecked")
    private static <T> Subject codec(String name, Codec<T> codec) {
        return new Subject(name, codec::decode, v -> codec.encode((T) v));
    }

    /** @return every field type on its own, the test records and messages, both registries, and two codecs */
    static List<Subject> subjects() {
        Map<String, BinaryCodec<?>> binaries = new LinkedHashMap<>();
        for (FieldType<?> t : List.of(FieldType.BOOLEAN, FieldType.BYTE, FieldType.SHORT, FieldType.SHORT_BE,
                FieldType.UNSIGNED_SHORT, FieldType.UNSIGNED_SHORT_BE, FieldType.INT, FieldType.INT_BE,
                FieldType.UNSIGNED_INT, FieldType.UNSIGNED_INT_BE, FieldType.LONG, FieldType.LONG_BE,
                FieldType.UNSIGNED_LONG, FieldType.UNSIGNED_LONG_BE, FieldType.CHAR_ASCII, FieldType.CHAR_ISO8859,
                FieldType.ASCII_STRING, FieldType.ISO8859_STRING, FieldType.fixedAscii(8),
                FieldType.fixedAscii(4, true), FieldType.fixedIso(6), FieldType.fixedIso(3, true),
                FieldType.array(FieldType.INT_BE), FieldType.array(FieldType.ASCII_STRING, FieldType.UNSIGNED_INT),
                FieldType.array(FieldType.array(FieldType.BOOLEAN), FieldType.BYTE),
                FieldType.record(RecordDefinitionTest.INNER), FieldType.optional(RecordDefinitionTest.INNER))) {
            binaries.put(t.name(), t);
        }
        binaries.put("SpecOrder record", Fixtures.SPEC_ORDER_BODY);
        binaries.put("WithOptional record", RecordDefinitionTest.WITH_OPTIONAL);
        binaries.put("SpecOrder message", Fixtures.SPEC_ORDER);
        binaries.put("AddOrder message", Fixtures.ADD_ORDER);
        binaries.put("EnterOrder message", Fixtures.ENTER_ORDER);
        binaries.put("ITCH registry", Fixtures.ITCH);
        binaries.put("OUCH registry", Fixtures.OUCH_IN);
        List<Subject> subjects = new ArrayList<>();
        binaries.forEach((name, c) -> subjects.add(binary(name, c)));
        subjects.add(codec("utf8", Codecs.utf8()));
        subjects.add(codec("bytes", Codecs.bytes()));
        return subjects;
    }

    /** Valid encodings to mutate, so that mutations reach past the first field. */
    private static List<byte[]> seeds() {
        return List.of(
                Fixtures.ITCH.encode(Fixtures.sampleAddOrder()),
                Fixtures.ITCH.encode(new Fixtures.SystemEvent(1, 2, 3, 4, 'Q')),
                Fixtures.OUCH_IN.encode(Fixtures.sampleEnterOrder()),
                Fixtures.OUCH_IN.encode(new Fixtures.CancelOrder("T", 1)),
                Fixtures.SPEC_ORDER.encode(new Fixtures.SpecOrder(1, 456, 'B', "AB", "hi")),
                RecordDefinitionTest.WITH_OPTIONAL.encode(new RecordDefinitionTest.WithOptional('x',
                        new RecordDefinitionTest.Inner(5, "yz"), 1)),
                hex("06 00 5a fc 72 69 63 68"),
                hex("02 00 00 00 00 01 00 00 00 02"));
    }

    private static byte[] nextBuffer(SplittableRandom random, List<byte[]> seeds) {
        if (random.nextInt(10) < 4) {
            byte[] bytes = new byte[random.nextInt(0, 49)];
            random.nextBytes(bytes);
            return bytes;
        }
        byte[] seed = seeds.get(random.nextInt(seeds.size()));
        byte[] bytes;
        switch (random.nextInt(5)) {
            case 0 -> { // truncate
                bytes = java.util.Arrays.copyOf(seed, random.nextInt(0, seed.length + 1));
            }
            case 1 -> { // append garbage
                bytes = java.util.Arrays.copyOf(seed, seed.length + random.nextInt(1, 9));
                for (int i = seed.length; i < bytes.length; i++) {
                    bytes[i] = (byte) random.nextInt(256);
                }
            }
            case 2 -> { // a length- or count-like pair at an extreme value
                bytes = seed.clone();
                int at = random.nextInt(0, bytes.length - 1);
                int[][] extremes = {{0xff, 0xff}, {0xff, 0x7f}, {0x00, 0x80}, {0x30, 0x75}, {0x7f, 0xff}};
                int[] pair = extremes[random.nextInt(extremes.length)];
                bytes[at] = (byte) pair[0];
                bytes[at + 1] = (byte) pair[1];
            }
            default -> { // flip one to three bytes
                bytes = seed.clone();
                for (int i = random.nextInt(1, 4); i > 0; i--) {
                    bytes[random.nextInt(bytes.length)] ^= (byte) random.nextInt(1, 256);
                }
            }
        }
        return bytes;
    }

    @Test
    void everyDecoderThrowsOnlyProtocolExceptionsOnRandomAndMutatedBuffers() {
        List<Subject> subjects = subjects();
        List<byte[]> seeds = seeds();
        int[] counts = new int[2]; // decoded, rejected
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            SplittableRandom random = new SplittableRandom(20_261_121L);
            for (int n = 0; n < BUFFERS; n++) {
                byte[] bytes = nextBuffer(random, seeds);
                for (Subject subject : subjects) {
                    ByteBuffer buffer = ByteBuffer.wrap(bytes);
                    Object value;
                    try {
                        value = subject.decode.apply(buffer);
                    } catch (ProtocolException e) {
                        counts[1]++;
                        assertThat(e.offset()).as("%s offset", subject.name).isBetween(-1, bytes.length);
                        assertThat(buffer.position()).as("%s position after failure", subject.name).isZero();
                        continue;
                    } catch (RuntimeException | Error e) {
                        throw new AssertionError(subject.name + " threw " + e + " on " + hex(bytes), e);
                    }
                    counts[0]++;
                    // what decodes must encode again, and decode to the same value
                    byte[] again = subject.encode.apply(value);
                    assertThat(subject.decode.apply(ByteBuffer.wrap(again)))
                            .as("%s re-decoded from %s", subject.name, hex(bytes)).isEqualTo(value);
                }
            }
        });
        assertThat(counts[0]).as("decoded").isGreaterThan(BUFFERS);
        assertThat(counts[1]).as("rejected").isGreaterThan(BUFFERS);
    }

    // ---- allocation ----

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** The fewest bytes the current thread allocated over a few runs of {@code action} (after warming it up). */
    private static long allocatedBy(Runnable action) {
        for (int i = 0; i < 50; i++) {
            action.run();
        }
        long fewest = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            long before = THREADS.getCurrentThreadAllocatedBytes();
            action.run();
            fewest = Math.min(fewest, THREADS.getCurrentThreadAllocatedBytes() - before);
        }
        return fewest;
    }

    private static Runnable rejects(BinaryCodec<?> codec, String hex) {
        byte[] bytes = hex(hex);
        return () -> {
            try {
                codec.decode(ByteBuffer.wrap(bytes));
                fail("expected a ProtocolException for " + hex);
            } catch (ProtocolException expected) {
                // rejected, as it must be
            }
        };
    }

    @Test
    void hostileLengthsAndCountsFailBeforeAllocatingWhatTheyClaim() {
        assertThat(THREADS.isThreadAllocatedMemorySupported()).isTrue();
        THREADS.setThreadAllocatedMemoryEnabled(true);
        // each claims about 30,000 characters or items (well over 30 kB) in a 10-byte buffer
        Map<String, Runnable> hostile = new LinkedHashMap<>();
        hostile.put("AsciiString of 30000 chars", rejects(FieldType.ASCII_STRING, "30 75 41 41 41 41 41 41 41 41"));
        hostile.put("Array(IntBE) of 30000", rejects(FieldType.array(FieldType.INT_BE),
                "30 75 00 00 00 01 00 00 00 02"));
        hostile.put("Array(Array(Long)) of 32767", rejects(FieldType.array(FieldType.array(FieldType.LONG)),
                "ff 7f 00 00 00 00 00 00 00 00"));
        hostile.put("Array(AsciiString, UnsignedInt) of 2^32-1", rejects(
                FieldType.array(FieldType.ASCII_STRING, FieldType.UNSIGNED_INT), "ff ff ff ff 00 00 00 00 00 00"));
        for (Map.Entry<String, Runnable> e : hostile.entrySet()) {
            // a ProtocolException (message, stack trace) costs a few kB; the claimed data would be 30 kB or more
            assertThat(allocatedBy(e.getValue())).as(e.getKey()).isLessThan(8_192);
        }
        // the same in a message: EnterOrder whose tag count claims 30000 tags
        byte[] enter = Fixtures.OUCH_IN.encode(Fixtures.sampleEnterOrder());
        int countAt = enter.length - 16;
        enter[countAt] = 0x30;
        enter[countAt + 1] = 0x75;
        byte[] hostileEnter = enter;
        assertThatThrownBy(() -> Fixtures.OUCH_IN.decode(ByteBuffer.wrap(hostileEnter)))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.offset()).isEqualTo(countAt))
                .hasMessageContaining("field 'EnterOrder.tags' (Array(Tag)): count claims 30000 items");
        assertThat(allocatedBy(() -> {
            try {
                Fixtures.OUCH_IN.decode(ByteBuffer.wrap(hostileEnter));
            } catch (ProtocolException expected) {
                // rejected
            }
        })).isLessThan(8_192);
    }

    @Test
    void decodingAllocatesInProportionToTheInput() {
        THREADS.setThreadAllocatedMemoryEnabled(true);
        byte[] text = FieldType.ASCII_STRING.encode("x".repeat(20_000));
        long forText = allocatedBy(() -> FieldType.ASCII_STRING.decode(ByteBuffer.wrap(text)));
        assertThat(forText).as("a 20,000-character string").isBetween(20_000L, 21_000L);

        byte[] addOrder = Fixtures.ITCH.encode(Fixtures.sampleAddOrder());
        int messages = 10_000;
        long forAddOrders = allocatedBy(() -> {
            ByteBuffer b = ByteBuffer.wrap(addOrder);
            for (int i = 0; i < messages; i++) {
                b.clear();
                Fixtures.ITCH.decode(b);
            }
        });
        // the record (~64 B), its String (24 B) and the String's bytes (24 B): nothing boxed, nothing else
        assertThat(forAddOrders / messages).as("bytes per decoded AddOrder").isLessThanOrEqualTo(120);
    }
}
