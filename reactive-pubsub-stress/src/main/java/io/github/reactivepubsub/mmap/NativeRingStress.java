package io.github.reactivepubsub.mmap;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The {@code NATIVE} broadcast ring ({@link NativeWriter} / {@link NativeReader}; {@code docs/shared-memory.md},
 * section 2, "Publisher (one per file)", "Subscriber" and "Loss accounting"): a writer that laps the reader over and
 * over while the reader polls. Every payload is 63 longs, each equal to its record's sequence number, so a record
 * copied while the writer overwrote it would show two numbers. The reader must deliver only whole records (a torn
 * copy is caught by its {@code tailIntent} re-check and counted as a lap), with sequence numbers strictly increasing.
 *
 * <p>Result: (torn payloads delivered, 1 when the sequence numbers delivered increased strictly).
 */
@JCStressTest
@Description("A writer lapping a polling reader: no torn record is ever delivered.")
@Outcome(id = "0, 1", expect = Expect.ACCEPTABLE, desc = "only whole records, in sequence order")
@Outcome(expect = Expect.FORBIDDEN, desc = "a torn record was delivered, or sequences went backwards")
@State
public class NativeRingStress {

    private static final int CAPACITY = BroadcastDescriptor.MIN_CAPACITY;
    private static final int WORDS = 63; // 504-byte payloads: 520-byte records, seven to the 4,096-byte ring
    private static final int RECORDS = 24;
    private static final int POLLS = 64;

    private final NativeWriter writer;
    private final NativeReader reader;
    private final byte[] payload = new byte[WORDS * Long.BYTES];
    private final ByteBuffer words = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
    private final Checker checker = new Checker();

    public NativeRingStress() {
        Memory memory = Memory.of(ByteBuffer.allocateDirect(BroadcastDescriptor.fileLength(CAPACITY)));
        writer = new NativeWriter(memory, CAPACITY, 1);
        writer.initialise();
        reader = new NativeReader(new NativeReader.MappedRing(Path.of("in-memory ring"), memory, CAPACITY,
                BroadcastDescriptor.maxPayloadLength(CAPACITY), 1), StartPosition.START);
    }

    @Actor
    public void writer() {
        for (long sequence = 1; sequence <= RECORDS; sequence++) {
            for (int w = 0; w < WORDS; w++) {
                words.putLong(w * Long.BYTES, sequence);
            }
            writer.write(payload, 0, payload.length);
        }
    }

    @Actor
    public void reader(II_Result r) {
        for (int i = 0; i < POLLS; i++) {
            reader.poll(checker, 16);
        }
        r.r1 = checker.torn;
        r.r2 = checker.increasing ? 1 : 0;
    }

    /** Checks each delivered payload: every word equal to the record's sequence number. */
    static final class Checker implements FeedReader.Handler {
        private final byte[] copy = new byte[WORDS * Long.BYTES];
        private final ByteBuffer view = ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN);
        int torn;
        boolean increasing = true;
        private long last;

        @Override
        public byte[] destination(int length) {
            return copy;
        }

        @Override
        public void onPayload(byte[] bytes, int length, long sequence) {
            if (length != copy.length) {
                torn++;
                return;
            }
            for (int w = 0; w < WORDS; w++) {
                if (view.getLong(w * Long.BYTES) != sequence) {
                    torn++;
                    break;
                }
            }
            increasing &= sequence > last;
            last = sequence;
        }

        @Override
        public void onDatagram(Datagram datagram) {
            throw new IllegalStateException("payloads only");
        }

        @Override
        public void onEvent(FeedEvent event) {
            // laps and losses are expected: the writer laps the reader on purpose
        }

        @Override
        public boolean stopped() {
            return false;
        }
    }
}
