package io.github.reactivepubsub.benchmarks;

import io.github.reactivepubsub.ProtocolException;
import io.github.reactivepubsub.codec.FieldType;
import io.github.reactivepubsub.codec.MessageDefinition;
import io.github.reactivepubsub.codec.MessageRegistry;
import io.github.reactivepubsub.codec.RecordDefinition;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decode and encode of a 36-byte ITCH 5.0 Add Order through the declarative message definitions
 * ({@link MessageRegistry}: decode by indicator, encode by record type) against a hand-written {@link ByteBuffer}
 * decoder/encoder of the same message with the same checks (the floor), in the same run.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar CodecBenchmark -f 1 -wi 3 -w 1 -i 5 -r 1 -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmark {

    /** ITCH 5.0 Add Order; the 48-bit timestamp travels as its high 16 and low 32 bits. */
    public record AddOrder(int stockLocate, int trackingNumber, int timestampHigh, long timestampLow,
            long orderReference, char side, long shares, String stock, long price) {
    }

    static final MessageRegistry ITCH = MessageRegistry.builder("ITCH", MessageRegistry.Direction.OUTGOING)
            .register(MessageDefinition.of('A', RecordDefinition.builder(AddOrder.class)
                    .field("stockLocate", FieldType.UNSIGNED_SHORT_BE)
                    .field("trackingNumber", FieldType.UNSIGNED_SHORT_BE)
                    .field("timestampHigh", FieldType.UNSIGNED_SHORT_BE)
                    .field("timestampLow", FieldType.UNSIGNED_INT_BE)
                    .field("orderReference", FieldType.UNSIGNED_LONG_BE)
                    .field("side", FieldType.CHAR_ASCII)
                    .field("shares", FieldType.UNSIGNED_INT_BE)
                    .field("stock", FieldType.fixedAscii(8))
                    .field("price", FieldType.UNSIGNED_INT_BE)
                    .build()))
            .build();

    private AddOrder order;
    private ByteBuffer wire;
    private ByteBuffer out;

    @Setup
    public void setUp() {
        order = new AddOrder(8007, 0, 0x1234, 0x5678_9abcL, 0x0102_0304_0506_0708L, 'B', 100, "AAPL", 1_502_500);
        wire = ByteBuffer.wrap(ITCH.encode(order));
        out = ByteBuffer.allocate(64);
        if (!HandWritten.decode(wire.duplicate()).equals(ITCH.decode(wire.duplicate()))) {
            throw new IllegalStateException("hand-written and definition decoders disagree");
        }
        HandWritten.encode(order, out.clear());
        if (!out.flip().equals(wire.duplicate())) {
            throw new IllegalStateException("hand-written and definition encoders disagree");
        }
    }

    @Benchmark
    public Record decodeDefinitions() {
        return ITCH.decode(wire.clear());
    }

    @Benchmark
    public AddOrder decodeHandWritten() {
        return HandWritten.decode(wire.clear());
    }

    @Benchmark
    public ByteBuffer encodeDefinitions() {
        ITCH.encode(order, out.clear());
        return out;
    }

    @Benchmark
    public ByteBuffer encodeHandWritten() {
        HandWritten.encode(order, out.clear());
        return out;
    }

    @Benchmark
    public ByteBuffer decodeEncodeDefinitions() {
        Record decoded = ITCH.decode(wire.clear());
        ITCH.encode(decoded, out.clear());
        return out;
    }

    @Benchmark
    public ByteBuffer decodeEncodeHandWritten() {
        AddOrder decoded = HandWritten.decode(wire.clear());
        HandWritten.encode(decoded, out.clear());
        return out;
    }

    /**
     * The floor: the Add Order written out by hand with the same checks as the definitions (length, indicator,
     * ASCII, value ranges, whitespace stripping of the stock symbol), minus the per-field error messages. It
     * relies on the buffers being big-endian (the {@link ByteBuffer} default), where the definitions convert from
     * whatever order the buffer has.
     */
    static final class HandWritten {

        private static final int SIZE = 36;

        private HandWritten() {
        }

        static AddOrder decode(ByteBuffer b) {
            if (b.remaining() < SIZE || b.get(b.position()) != 'A') {
                throw new ProtocolException(0, "expected a 36-byte Add Order");
            }
            b.get();
            int stockLocate = Short.toUnsignedInt(b.getShort());
            int trackingNumber = Short.toUnsignedInt(b.getShort());
            int timestampHigh = Short.toUnsignedInt(b.getShort());
            long timestampLow = Integer.toUnsignedLong(b.getInt());
            long orderReference = b.getLong();
            byte side = b.get();
            long shares = Integer.toUnsignedLong(b.getInt());
            int from = b.position();
            b.position(from + 8);
            long price = Integer.toUnsignedLong(b.getInt());
            int start = from;
            int end = from + 8;
            while (start < end && isSpace(b.get(start))) {
                start++;
            }
            while (end > start && isSpace(b.get(end - 1))) {
                end--;
            }
            for (int i = start; i < end; i++) {
                if (b.get(i) < 0) {
                    throw new ProtocolException(i, "not ASCII");
                }
            }
            if (side < 0) {
                throw new ProtocolException(19, "not ASCII");
            }
            String stock = new String(b.array(), b.arrayOffset() + start, end - start, StandardCharsets.ISO_8859_1);
            return new AddOrder(stockLocate, trackingNumber, timestampHigh, timestampLow, orderReference,
                    (char) side, shares, stock, price);
        }

        private static boolean isSpace(byte c) {
            return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20);
        }

        static void encode(AddOrder o, ByteBuffer b) {
            String stock = o.stock();
            if ((o.stockLocate() | o.trackingNumber() | o.timestampHigh()) >>> 16 != 0
                    || (o.timestampLow() | o.shares() | o.price()) >>> 32 != 0 || o.side() > 0x7F
                    || stock.length() > 8) {
                throw new IllegalArgumentException("Add Order field out of range");
            }
            b.put((byte) 'A').putShort((short) o.stockLocate()).putShort((short) o.trackingNumber())
                    .putShort((short) o.timestampHigh()).putInt((int) o.timestampLow()).putLong(o.orderReference())
                    .put((byte) o.side()).putInt((int) o.shares());
            for (int i = 0; i < 8; i++) {
                char c = i < stock.length() ? stock.charAt(i) : ' ';
                if (c > 0x7F) {
                    throw new IllegalArgumentException("not ASCII");
                }
                b.put((byte) c);
            }
            b.putInt((int) o.price());
        }
    }
}
