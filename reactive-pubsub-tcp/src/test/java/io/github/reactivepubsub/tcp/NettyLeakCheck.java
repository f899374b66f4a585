package io.github.reactivepubsub.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.lang.ref.PhantomReference;
import java.lang.ref.ReferenceQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test after which Netty's leak detector reports a leaked {@code ByteBuf}, instead of only logging it (the
 * test classpath logs to SLF4J's no-op logger, where a leak report would vanish).
 *
 * <p>Registered for every test of this module through {@code META-INF/services} and
 * {@code junit.jupiter.extensions.autodetection.enabled}, so its static initializer installs a recording
 * {@link ResourceLeakDetectorFactory} when the test engine starts, before any {@code ByteBuf} class creates its
 * detector. Surefire runs with {@code -Dio.netty.leakDetection.level=paranoid}: every buffer is tracked.
 *
 * <p>After each test: collect garbage, wait (bounded) until the collector has enqueued a sentinel reference, then
 * allocate tracked buffers (an allocation is when the detector reports the leaks found so far), and fail with the
 * leak records, if any. {@link LeakDetectionTest} proves a deliberate leak is caught this way.
 *
 * <p>A {@link FuzzTest} runs once per input of its corpus (hundreds), and three collections per input would make the
 * replay take minutes: its leaks are checked once, after the class, where the report's access records still name the
 * code that leaked.
 */
public final class NettyLeakCheck implements AfterEachCallback, AfterAllCallback {

    private static final ConcurrentLinkedQueue<String> LEAKS = new ConcurrentLinkedQueue<>();

    static {
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (context.getTestMethod().map(m -> m.isAnnotationPresent(FuzzTest.class)).orElse(false)) {
            return; // checked after the class
        }
        check(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        check(context);
    }

    private static void check(ExtensionContext context) {
        List<String> leaks = collectLeaks();
        assertThat(leaks).as("Netty leak reports after %s", context.getDisplayName()).isEmpty();
    }

    /**
     * Surfaces the leaks of buffers that became unreachable so far, and forgets them.
     *
     * @return one leak report per leaked buffer (resource type and access records)
     */
    static List<String> collectLeaks() {
        for (int round = 0; round < 3; round++) {
            awaitCollection();
            for (ByteBufAllocator allocator : List.of(PooledByteBufAllocator.DEFAULT, UnpooledByteBufAllocator.DEFAULT,
                    ByteBufAllocator.DEFAULT)) {
                allocator.directBuffer(1).release();
                allocator.heapBuffer(1).release();
            }
        }
        List<String> leaks = new ArrayList<>();
        String leak;
        while ((leak = LEAKS.poll()) != null) {
            leaks.add(leak);
        }
        return leaks;
    }

    /** Runs a GC and waits, at most 5 s, until it enqueued a reference to a sentinel that became unreachable. */
    private static void awaitCollection() {
        ReferenceQueue<Object> queue = new ReferenceQueue<>();
        PhantomReference<Object> sentinel = new PhantomReference<>(new Object(), queue);
        long deadline = System.nanoTime() + 5_000_000_000L;
        try {
            while (System.nanoTime() < deadline) {
                System.gc();
                if (queue.remove(50) != null) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            sentinel.clear();
        }
    }

    private static final class RecordingFactory extends ResourceLeakDetectorFactory {

        @Override
        @SuppressWarnings("deprecation") // the abstract method Netty still requires
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
                long maxActive) {
            return new RecordingDetector<>(resource, samplingInterval);
        }

        @Override
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval) {
            return new RecordingDetector<>(resource, samplingInterval);
        }
    }

    private static final class RecordingDetector<T> extends ResourceLeakDetector<T> {

        RecordingDetector(Class<?> resource, int samplingInterval) {
            super(resource, samplingInterval);
        }

        @Override
        protected boolean needReport() {
            return true; // whatever the logging backend: the report is recorded (and shown by the failing check)
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            LEAKS.add("LEAK: " + resourceType + ".release() was not called before it was garbage-collected." + records);
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            LEAKS.add("LEAK: " + resourceType + ".release() was not called before it was garbage-collected "
                    + "(no access records: leak detection level below ADVANCED)");
        }
    }
}
