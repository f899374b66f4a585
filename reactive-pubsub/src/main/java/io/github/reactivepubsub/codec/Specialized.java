package io.github.reactivepubsub.codec;

import java.lang.constant.ConstantDescs;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Template of the class that {@link Specializer} defines once per record definition as a hidden class, with the
 * definition's decoder and encoder handles as class data. Held in {@code static final} fields of a class of
 * their own, the handles are constants to the JIT compiler, which then inlines the whole composed chain (field
 * readers, record constructor) into {@link #decode} and {@link #encode}: the shape of a hand-written codec.
 *
 * <p>Never loaded as an ordinary class: its initializer only works in a hidden class that has class data.
 */
final class Specialized implements Specializer.Handles {

    /** {@code (ByteBuffer, int base) -> Record}. */
    private static final MethodHandle DECODER;
    /** {@code (ByteBuffer, Record) -> void}. */
    private static final MethodHandle ENCODER;

    static {
        try {
            List<?> handles = MethodHandles.classData(MethodHandles.lookup(), ConstantDescs.DEFAULT_NAME,
                    List.class);
            if (handles == null) {
                throw new IllegalStateException("Specialized is a template for hidden classes with class data"
                        + " (see Specializer); it cannot be initialized as an ordinary class");
            }
            DECODER = (MethodHandle) handles.get(0);
            ENCODER = (MethodHandle) handles.get(1);
        } catch (IllegalAccessException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Override
    public Record decode(ByteBuffer b, int base) throws Throwable {
        return (Record) DECODER.invokeExact(b, base);
    }

    @Override
    public void encode(ByteBuffer b, Record value) throws Throwable {
        ENCODER.invokeExact(b, value);
    }
}
