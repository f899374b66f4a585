package io.github.reactivepubsub.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class SpecializerTest {

    record Point(int x) {
    }

    private static final MethodHandle DECODE = MethodHandles.dropArguments(
            MethodHandles.constant(Record.class, new Point(7)), 0, ByteBuffer.class, int.class);
    private static final MethodHandle ENCODE = MethodHandles.empty(
            MethodType.methodType(void.class, ByteBuffer.class, Record.class));

    @Test
    void definesOneHiddenClassPerDefinitionHoldingItsHandlesAsConstants() throws Throwable {
        Specializer.Handles first = Specializer.specialize(DECODE, ENCODE);
        Specializer.Handles second = Specializer.specialize(DECODE, ENCODE);
        assertThat(first.getClass().isHidden()).as("hidden class, not the fallback").isTrue();
        assertThat(first.getClass()).isNotSameAs(second.getClass());
        assertThat(first.decode(ByteBuffer.allocate(0), 0)).isEqualTo(new Point(7));
    }
}
