package io.github.reactivepubsub.tcp.soup;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.AbstractByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test when Netty's leak detector reports a {@code ByteBuf} that was garbage-collected without being
 * released. Attaches a listener to the {@code ByteBuf} leak detector that records every report; before each test it
 * drains earlier reports, after each test it collects garbage, makes the detector poll its queue (by allocating
 * tracked buffers) and asserts that nothing was reported. {@code leakCheckDetectsAnUnreleasedBuffer} proves the
 * check sees a real leak.
 */
final class LeakCheck implements BeforeEachCallback, AfterEachCallback {

    static final ConcurrentLinkedQueue<String> LEAKS = new ConcurrentLinkedQueue<>();

    static {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        // Netty creates the ByteBuf detector once, whenever AbstractByteBuf is first loaded (possibly by an earlier
        // test class): attach to that instance instead of relying on a factory installed in time.
        try {
            Field field = AbstractByteBuf.class.getDeclaredField("leakDetector");
            field.setAccessible(true);
            ResourceLeakDetector<?> detector = (ResourceLeakDetector<?>) field.get(null);
            detector.setLeakListener((resourceType, records) -> LEAKS.add("LEAK " + resourceType + records));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        // touching the allocators loads AbstractByteBuf, whose detector comes from the factory above
        assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.PARANOID);
        collect();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<String> leaks = collect();
        assertThat(leaks).as("ByteBuf leaks reported by Netty's paranoid leak detector").isEmpty();
    }

    /** Collects garbage and polls the detectors; returns (and clears) what they reported. */
    static List<String> collect() {
        for (int i = 0; i < 5; i++) {
            System.gc();
            for (int j = 0; j < 10; j++) {
                PooledByteBufAllocator.DEFAULT.buffer(1).release();
                UnpooledByteBufAllocator.DEFAULT.buffer(1).release();
                PooledByteBufAllocator.DEFAULT.directBuffer(1).release();
            }
        }
        List<String> leaks = new ArrayList<>(LEAKS);
        LEAKS.clear();
        return leaks;
    }
}
