package io.github.reactivepubsub.tcp.soup;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test when Netty's leak detector reports a {@code ByteBuf} that was garbage-collected without being
 * released. Installs a {@link ResourceLeakDetectorFactory} whose detectors record every report; after each test it
 * collects garbage, makes the detectors poll their queues (by allocating tracked buffers) and asserts that nothing
 * was reported. It also asserts that the buffers' detector really is a recording one, so a class-loading order in
 * which Netty created its detector first cannot make the check silently pass.
 */
final class LeakCheck implements BeforeEachCallback, AfterEachCallback {

    static final ConcurrentLinkedQueue<String> LEAKS = new ConcurrentLinkedQueue<>();
    private static volatile boolean byteBufDetectorRecording;

    static {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new ResourceLeakDetectorFactory() {
            @Override
            @SuppressWarnings("deprecation")
            public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
                    long maxActive) {
                return newResourceLeakDetector(resource, samplingInterval);
            }

            @Override
            public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval) {
                if (resource == ByteBuf.class) {
                    byteBufDetectorRecording = true;
                }
                return new Recording<>(resource, samplingInterval);
            }
        });
    }

    private static final class Recording<T> extends ResourceLeakDetector<T> {
        Recording(Class<T> resource, int samplingInterval) {
            super(resource, samplingInterval);
        }

        @Override
        protected boolean needReport() {
            return true;
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            LEAKS.add("LEAK " + resourceType + records);
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            LEAKS.add("LEAK " + resourceType + " (untraced)");
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        // touching the allocators loads AbstractByteBuf, whose detector comes from the factory above
        PooledByteBufAllocator.DEFAULT.buffer(1).release();
        assertThat(byteBufDetectorRecording)
                .as("ByteBuf leak detector was created before LeakCheck installed its factory")
                .isTrue();
        LEAKS.clear();
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
