package io.github.reactivepubsub.codec;

import io.github.reactivepubsub.ProtocolException;
import io.github.reactivepubsub.internal.EscapedText;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The wire layout of a Java record: its components as named fields of given {@link FieldType}s, in wire order,
 * concatenated with no alignment, padding or length prefix. Used as a message body ({@link MessageDefinition}),
 * as a nested record ({@link FieldType#record}) or as a record with a present bit ({@link FieldType#optional}).
 *
 * <p>Every component of the record is bound to exactly one field, checked when the definition is built: the
 * field type's Java type must be the component's type. The record's canonical constructor and accessors are
 * resolved once, into {@link MethodHandle}s composed per field, so decoding and encoding use neither reflection
 * nor boxing. The record class must be accessible to this library: on the class path it always is; in a named
 * module, open its package to {@code io.github.reactivepubsub}.
 *
 * <p>Decoding fails with {@link ProtocolException} (naming the field, e.g. {@code field 'AddOrder.shares'
 * (UnsignedIntBE)}, with the offset); when the record's constructor rejects the decoded values, that failure is
 * also a {@link ProtocolException} (offset: the end of the record). Encoding an out-of-range value fails with
 * {@link IllegalArgumentException}. Definitions are immutable and thread-safe.
 *
 * <pre>{@code
 * record Leg(long price, int quantity) {}
 * RecordDefinition<Leg> leg = RecordDefinition.builder(Leg.class)
 *         .field("price", FieldType.UNSIGNED_INT_BE)
 *         .field("quantity", FieldType.INT_BE)
 *         .build();
 * byte[] bytes = leg.encode(new Leg(100, 5));   // 00 00 00 64 00 00 00 05
 * }</pre>
 *
 * @param <R> the record type
 */
public final class RecordDefinition<R extends Record> extends BinaryCodec<R> implements Codec<R> {

    private static final MethodHandle REJECTED;

    static {
        try {
            REJECTED = MethodHandles.lookup().findStatic(RecordDefinition.class, "rejected", MethodType.methodType(
                    Record.class, String.class, RuntimeException.class, ByteBuffer.class, int.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Class<R> type;
    private final List<String> fieldNames;
    /** {@code (ByteBuffer, int base) -> R}: reads the fields in wire order, then calls the constructor. */
    final MethodHandle decoder;
    /** {@code (ByteBuffer, R) -> void}: writes the fields in wire order. */
    final MethodHandle encoder;
    /** The erased decoder and encoder, specialized so that the JIT compiler inlines them. */
    private final Specializer.Handles handles;
    /** Encoded size in bytes, or {@code -1} when it depends on the value. */
    final int fixedSize;
    /** The fewest bytes any value decodes from. */
    final int minSize;
    private final int fixedPart;
    private final FieldType<?>[] variableTypes;
    /** {@code (Record) -> Object} accessors of the variable-size fields, parallel to {@link #variableTypes}. */
    private final MethodHandle[] variableAccessors;
    private final @Nullable R defaults;
    private final @Nullable RuntimeException defaultsRejected;

    private RecordDefinition(Builder<R> builder, MethodHandles.Lookup lookup) throws ReflectiveOperationException {
        this.type = builder.type;
        List<Field> fields = builder.fields;
        RecordComponent[] components = type.getRecordComponents();
        Class<?>[] componentTypes = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
        MethodHandle constructor = lookup.findConstructor(type, MethodType.methodType(void.class, componentTypes));

        // the constructor with its parameters in wire order: reorder[component] = wire position
        Class<?>[] wireTypes = new Class<?>[fields.size()];
        int[] reorder = new int[components.length];
        for (int k = 0; k < fields.size(); k++) {
            wireTypes[k] = fields.get(k).type.javaType;
            reorder[fields.get(k).component] = k;
        }
        MethodHandle build = MethodHandles.permuteArguments(constructor, MethodType.methodType(type, wireTypes),
                reorder);

        // decoder: (A1..An, ByteBuffer, base) -> R, then fold each field's reader in from the last to the first,
        // so that at run time field 1 is read first (foldArguments runs the combiner before the target)
        MethodHandle decode = MethodHandles.dropArguments(build, wireTypes.length, ByteBuffer.class, int.class);
        MethodHandle rejected = MethodHandles.insertArguments(REJECTED, 0, type.getSimpleName())
                .asType(MethodType.methodType(type, RuntimeException.class, ByteBuffer.class, int.class));
        decode = MethodHandles.catchException(decode, RuntimeException.class,
                MethodHandles.dropArguments(rejected, 1, wireTypes));
        // encoder: run each field's writer on (ByteBuffer, R), first field first
        MethodHandle encode = MethodHandles.empty(MethodType.methodType(void.class, ByteBuffer.class, type));
        List<FieldType<?>> variable = new ArrayList<>();
        List<MethodHandle> variableGetters = new ArrayList<>();
        int fixed = 0;
        int min = 0;
        for (int k = fields.size() - 1; k >= 0; k--) {
            Field field = fields.get(k);
            String label = field.type.label(type.getSimpleName() + "." + field.name);
            decode = MethodHandles.foldArguments(decode, k, field.type.reader(label));
            MethodHandle getter = lookup.unreflect(components[field.component].getAccessor());
            encode = MethodHandles.foldArguments(encode,
                    MethodHandles.filterArguments(field.type.writer(label), 1, getter));
            min += field.type.minSize;
            if (field.type.fixedSize >= 0) {
                fixed += field.type.fixedSize;
            } else {
                variable.add(0, field.type);
                variableGetters.add(0, getter.asType(MethodType.methodType(Object.class, Record.class)));
            }
        }
        this.fieldNames = fields.stream().map(f -> f.name).toList();
        this.decoder = decode;
        this.encoder = encode;
        this.handles = Specializer.specialize(
                decode.asType(MethodType.methodType(Record.class, ByteBuffer.class, int.class)),
                encode.asType(MethodType.methodType(void.class, ByteBuffer.class, Record.class)));
        this.fixedPart = fixed;
        this.fixedSize = variable.isEmpty() ? fixed : -1;
        this.minSize = min;
        this.variableTypes = variable.toArray(FieldType<?>[]::new);
        this.variableAccessors = variableGetters.toArray(MethodHandle[]::new);

        Object[] defaultArgs = new Object[fields.size()];
        for (int k = 0; k < defaultArgs.length; k++) {
            defaultArgs[k] = fields.get(k).type.defaultValue();
        }
        R made = null;
        RuntimeException failure = null;
        try {
            made = type.cast(build.invokeWithArguments(defaultArgs));
        } catch (RuntimeException e) {
            failure = e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
        this.defaults = made;
        this.defaultsRejected = failure;
    }

    private static Record rejected(String record, RuntimeException e, ByteBuffer b, int base) {
        if (e instanceof ProtocolException p) {
            throw p;
        }
        // the rejection's message may quote decoded (peer) text: escaped and cut in this message
        throw new ProtocolException(b.position() - base, "record " + record + " rejected the decoded field values: "
                + e.getClass().getName() + ": " + EscapedText.escape(String.valueOf(e.getMessage()), 256), e);
    }

    /**
     * Starts a definition of the given record type.
     *
     * @param type the record class
     * @param <R> the record type
     * @return a builder with no fields yet
     */
    public static <R extends Record> Builder<R> builder(Class<R> type) {
        return new Builder<>(type, List.of());
    }

    /** @return the record class */
    public Class<R> type() {
        return type;
    }

    /** @return the field names in wire order */
    public List<String> fieldNames() {
        return fieldNames;
    }

    /**
     * Returns the record with every field at its type's default (0, false, space, "", empty list, nested
     * defaults, absent), the value that "fields never set" encode as.
     *
     * @return the record of defaults
     * @throws IllegalStateException when the record's constructor rejects the default values
     */
    public R defaults() {
        if (defaults == null) {
            throw new IllegalStateException("record " + type.getSimpleName() + " rejects its default field values",
                    defaultsRejected);
        }
        return defaults;
    }

    @Nullable R defaultsOrNull() {
        return defaults;
    }

    /** {@code value}, or {@link #defaults()} when it is {@code null}: how a nested record never set is written. */
    Record orDefaults(@Nullable Record value) {
        return value != null ? value : defaults();
    }

    @Override
    public int size(R value) {
        if (fixedSize >= 0) {
            return fixedSize;
        }
        int size = fixedPart;
        for (int i = 0; i < variableTypes.length; i++) {
            Object fieldValue;
            try {
                fieldValue = (Object) variableAccessors[i].invokeExact((Record) value);
            } catch (Throwable t) {
                throw rethrow(t);
            }
            size = Math.addExact(size, variableTypes[i].sizeOf(fieldValue));
        }
        return size;
    }

    @Override
    R read(ByteBuffer b, int base) {
        try {
            return type.cast(handles.decode(b, base));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    void write(ByteBuffer b, R value) {
        try {
            handles.encode(b, value);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public String toString() {
        return "RecordDefinition(" + type.getSimpleName() + " " + fieldNames + ")";
    }

    /** One bound field: its name, type and the index of the record component it binds. */
    private record Field(String name, FieldType<?> type, int component) {
    }

    /**
     * An immutable step of building a {@link RecordDefinition}: each {@link #field} returns a new builder.
     * Thread-safe.
     *
     * @param <R> the record type
     */
    public static final class Builder<R extends Record> {

        private final Class<R> type;
        private final List<Field> fields;

        private Builder(Class<R> type, List<Field> fields) {
            this.type = type;
            this.fields = fields;
        }

        /**
         * Appends the next field in wire order, bound to the record component of the same name.
         *
         * @param name the record component's name
         * @param fieldType the field's wire type; its Java type must be the component's type
         * @return a new builder with the field appended
         * @throws IllegalArgumentException when the record has no such component, it is already bound, or its
         *     type differs from the field type's Java type (including a {@code List} type argument)
         */
        public Builder<R> field(String name, FieldType<?> fieldType) {
            RecordComponent[] components = type.getRecordComponents();
            int index = -1;
            for (int i = 0; i < components.length; i++) {
                if (components[i].getName().equals(name)) {
                    index = i;
                }
            }
            String where = "field '" + type.getSimpleName() + "." + name + "'";
            if (index < 0) {
                throw new IllegalArgumentException(where + ": record " + type.getName() + " has no component '"
                        + name + "'; its components are " + Arrays.stream(components)
                                .map(RecordComponent::getName).toList());
            }
            for (Field f : fields) {
                if (f.component == index) {
                    throw new IllegalArgumentException(where + " is bound twice");
                }
            }
            checkType(where, components[index], fieldType);
            List<Field> more = new ArrayList<>(fields);
            more.add(new Field(name, fieldType, index));
            return new Builder<>(type, List.copyOf(more));
        }

        private static void checkType(String where, RecordComponent component, FieldType<?> fieldType) {
            Class<?> expected = fieldType.javaType;
            boolean matches = component.getType() == expected;
            FieldType<?> element = fieldType.element;
            if (matches && element != null && component.getGenericType() instanceof ParameterizedType p) {
                Type argument = p.getActualTypeArguments()[0];
                Type raw = argument instanceof ParameterizedType pa ? pa.getRawType() : argument;
                Class<?> elementType = element.javaType.isPrimitive()
                        ? MethodType.methodType(element.javaType).wrap().returnType() : element.javaType;
                if (raw instanceof Class<?> c && c != elementType) {
                    throw new IllegalArgumentException(where + ": " + fieldType + " holds " + elementType.getName()
                            + " items, but record component '" + component.getName() + "' is "
                            + component.getGenericType().getTypeName());
                }
            }
            if (!matches) {
                throw new IllegalArgumentException(where + ": " + fieldType + " reads a " + expected.getName()
                        + ", but record component '" + component.getName() + "' is a "
                        + component.getType().getName());
            }
        }

        /**
         * Builds the definition, resolving the canonical constructor and accessors once.
         *
         * @return the definition
         * @throws IllegalArgumentException when a record component is bound to no field, or the record class is
         *     not accessible to this library
         */
        public RecordDefinition<R> build() {
            RecordComponent[] components = type.getRecordComponents();
            if (fields.size() != components.length) {
                List<String> unbound = new ArrayList<>();
                for (int i = 0; i < components.length; i++) {
                    int index = i;
                    if (fields.stream().noneMatch(f -> f.component == index)) {
                        unbound.add(components[i].getName());
                    }
                }
                throw new IllegalArgumentException("record " + type.getName() + ": components " + unbound
                        + " are bound to no field; expected every component bound exactly once");
            }
            try {
                return new RecordDefinition<>(this, MethodHandles.privateLookupIn(type, MethodHandles.lookup()));
            } catch (IllegalAccessException e) {
                throw new IllegalArgumentException("record " + type.getName() + " is not accessible to "
                        + "io.github.reactivepubsub: open its package to this module", e);
            } catch (ReflectiveOperationException e) {
                throw new IllegalArgumentException("record " + type.getName() + ": cannot resolve its canonical "
                        + "constructor or accessors", e);
            }
        }
    }
}
