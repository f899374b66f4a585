package io.github.reactivepubsub.codec;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.nio.ByteBuffer;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Turns a record definition's composed decoder and encoder handles into an object whose calls the JIT compiler
 * inlines completely: a hidden class defined from the bytes of {@link Specialized}, one per definition, holding
 * the handles as constants. Where hidden classes cannot be defined, falls back to calling the handles from
 * instance fields (correct, slower: the JIT compiles the chain without inlining the field readers).
 */
final class Specializer {

    /** The decoder and encoder of one record definition. */
    interface Handles {

        Record decode(ByteBuffer b, int base) throws Throwable;

        void encode(ByteBuffer b, Record value) throws Throwable;
    }

    private static final @Nullable byte[] TEMPLATE = template();

    private Specializer() {
    }

    private static @Nullable byte[] template() {
        try (InputStream in = Specializer.class.getResourceAsStream("Specialized.class")) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * @param decoder {@code (ByteBuffer, int) -> Record}
     * @param encoder {@code (ByteBuffer, Record) -> void}
     */
    static Handles specialize(MethodHandle decoder, MethodHandle encoder) {
        if (TEMPLATE != null) {
            try {
                Class<?> hidden = MethodHandles.lookup().defineHiddenClassWithClassData(TEMPLATE,
                        List.of(decoder, encoder), true).lookupClass();
                return (Handles) hidden.getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError | SecurityException e) {
                // fall through to the portable form
            }
        }
        return new Handles() {
            @Override
            public Record decode(ByteBuffer b, int base) throws Throwable {
                return (Record) decoder.invokeExact(b, base);
            }

            @Override
            public void encode(ByteBuffer b, Record value) throws Throwable {
                encoder.invokeExact(b, value);
            }
        };
    }
}
