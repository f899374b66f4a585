package io.github.reactivepubsub.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.Test;

/** Proves that the leak check of every test ({@link NettyLeakCheck}) is in place and catches a leaked ByteBuf. */
class LeakDetectionTest {

    @Test
    void paranoidLeakDetectionIsOn() {
        assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.PARANOID);
    }

    @Test
    void aLeakedBufferIsReported() {
        leakOneBuffer();

        // Drains the reports, so that this test, which leaks on purpose, passes the check after it.
        assertThat(NettyLeakCheck.collectLeaks())
                .anySatisfy(report -> assertThat(report).contains("LEAK: ByteBuf.release() was not called")
                        .contains("leakOneBuffer"));
    }

    @Test
    void aReleasedBufferIsNotReported() {
        ByteBuf buffer = ByteBufAllocator.DEFAULT.directBuffer(16).writeLong(42);
        buffer.release();

        assertThat(NettyLeakCheck.collectLeaks()).isEmpty();
    }

    private static void leakOneBuffer() {
        ByteBuf leaked = ByteBufAllocator.DEFAULT.directBuffer(64);
        leaked.writeInt(7); // an access record naming this method
    }
}
