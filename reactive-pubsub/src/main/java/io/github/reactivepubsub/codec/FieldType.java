package io.github.reactivepubsub.codec;

import io.github.reactivepubsub.ProtocolException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Objects;
import java.util.function.ToIntFunction;
import org.jspecify.annotations.Nullable;

/**
 * A binary field type with the exact byte semantics of nasdaq_protocols: the building block of
 * {@link RecordDefinition}s and {@link MessageDefinition}s, also usable on its own.
 *
 * <p>Unsuffixed multi-byte integers are little-endian, {@code _BE} variants big-endian; the byte order of the
 * buffers passed in is ignored. Each type decodes to one Java type; a record component bound to it must have
 * exactly that type (a primitive for numbers, booleans and chars, so message decoding never boxes):
 *
 * <table>
 * <caption>Field types</caption>
 * <tr><th>constant / factory</th><th>bytes</th><th>Java type</th><th>default</th></tr>
 * <tr><td>{@link #BOOLEAN}</td><td>1: {@code 01} true, {@code 00} false; only {@code 01} decodes as true</td>
 *     <td>{@code boolean}</td><td>false</td></tr>
 * <tr><td>{@link #BYTE}</td><td>1, unsigned</td><td>{@code int} 0..255</td><td>0</td></tr>
 * <tr><td>{@link #SHORT}, {@link #SHORT_BE}</td><td>2, signed</td><td>{@code short}</td><td>0</td></tr>
 * <tr><td>{@link #UNSIGNED_SHORT}, {@link #UNSIGNED_SHORT_BE}</td><td>2, unsigned</td><td>{@code int}
 *     0..65535</td><td>0</td></tr>
 * <tr><td>{@link #INT}, {@link #INT_BE}</td><td>4, signed</td><td>{@code int}</td><td>0</td></tr>
 * <tr><td>{@link #UNSIGNED_INT}, {@link #UNSIGNED_INT_BE}</td><td>4, unsigned</td><td>{@code long}
 *     0..4294967295</td><td>0</td></tr>
 * <tr><td>{@link #LONG}, {@link #LONG_BE}</td><td>8, signed</td><td>{@code long}</td><td>0</td></tr>
 * <tr><td>{@link #UNSIGNED_LONG}, {@link #UNSIGNED_LONG_BE}</td><td>8, unsigned</td><td>{@code long} read with
 *     {@link Long#toUnsignedString(long)}, {@link Long#compareUnsigned} etc.: 2^63 is {@link Long#MIN_VALUE}</td>
 *     <td>0</td></tr>
 * <tr><td>{@link #CHAR_ASCII}, {@link #CHAR_ISO8859}</td><td>1</td><td>{@code char}</td><td>space</td></tr>
 * <tr><td>{@link #ASCII_STRING}, {@link #ISO8859_STRING}</td><td>2 + n: signed 16-bit little-endian character
 *     count (0..32767), then the characters</td><td>{@link String}</td><td>""</td></tr>
 * <tr><td>{@link #fixedAscii(int, boolean)}, {@link #fixedIso(int, boolean)}</td><td>len, space-padded on the
 *     right (left when right-justified); decoding strips whitespace (0x09-0x0D, 0x1C-0x20, ISO-8859-1 also
 *     0x85 and 0xA0) on both sides, never NUL</td><td>{@link String}</td><td>""</td></tr>
 * <tr><td>{@link #array(FieldType)}</td><td>count ({@link #SHORT} unless given) + items</td><td>{@link List}
 *     of the item's boxed type</td><td>empty list</td></tr>
 * <tr><td>{@link #record(RecordDefinition)}</td><td>the record's fields, concatenated</td><td>the record
 *     class</td><td>{@link RecordDefinition#defaults()}</td></tr>
 * <tr><td>{@link #optional(RecordDefinition)}</td><td>present bit ({@link #BOOLEAN}), then the record only if
 *     {@code 01}</td><td>the record class, {@code null} = absent</td><td>absent</td></tr>
 * </table>
 *
 * <p>Encoding a value out of range (a number outside the type's range, a non-ASCII character in an ASCII type, a
 * string longer than its fixed width or than 32767) throws {@link IllegalArgumentException} naming the field,
 * the value and the range. Encoding {@code null} for a string, array or record writes the type's default.
 * Decoding short input, a non-ASCII byte in an ASCII type, a negative length or count, or a length or count that
 * claims more bytes than remain throws {@link ProtocolException} with the offset and what was expected, before
 * allocating anything for the claimed length.
 *
 * <p>Field types are immutable and thread-safe.
 *
 * <pre>{@code
 * byte[] bytes = FieldType.UNSIGNED_INT_BE.encode(3_000_000_000L);   // b2 d0 5e 00
 * String symbol = FieldType.fixedAscii(8).decode(ByteBuffer.wrap("AAPL    ".getBytes(US_ASCII)));  // "AAPL"
 * }</pre>
 *
 * @param <T> the decoded value type (boxed for primitives)
 */
public final class FieldType<T extends @Nullable Object> extends BinaryCodec<T> {

    private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();
    private static final MethodType READ_SHAPE = MethodType.methodType(Object.class, String.class,
            ByteBuffer.class, int.class);
    private static final MethodType WRITE_SHAPE = MethodType.methodType(void.class, String.class,
            ByteBuffer.class, Object.class);
    private static final MethodHandle VALUE_READ;
    private static final MethodHandle VALUE_WRITE;
    private static final MethodHandle OR_DEFAULTS;

    static {
        try {
            VALUE_READ = LOOKUP.findVirtual(ValueCodec.class, "read", READ_SHAPE);
            VALUE_WRITE = LOOKUP.findVirtual(ValueCodec.class, "write", WRITE_SHAPE);
            OR_DEFAULTS = LOOKUP.findVirtual(RecordDefinition.class, "orDefaults",
                    MethodType.methodType(Record.class, Record.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;

    /** {@code Boolean}: one byte, {@code 01} = true; any other byte decodes as false. */
    public static final FieldType<Boolean> BOOLEAN = scalar("Boolean", boolean.class, 1, false, -1, "Boolean", null);
    /** {@code Byte}: one unsigned byte, as an {@code int} 0..255. */
    public static final FieldType<Integer> BYTE = scalar("Byte", int.class, 1, 0, 0xFF, "Byte", null);
    /** {@code Short}: signed 16-bit little-endian. */
    public static final FieldType<Short> SHORT = scalar("Short", short.class, 2, (short) 0, Short.MAX_VALUE,
            "Short", LE);
    /** {@code ShortBE}: signed 16-bit big-endian. */
    public static final FieldType<Short> SHORT_BE = scalar("ShortBE", short.class, 2, (short) 0, Short.MAX_VALUE,
            "Short", BE);
    /** {@code UnsignedShort}: unsigned 16-bit little-endian, as an {@code int} 0..65535. */
    public static final FieldType<Integer> UNSIGNED_SHORT = scalar("UnsignedShort", int.class, 2, 0, 0xFFFF,
            "UnsignedShort", LE);
    /** {@code UnsignedShortBE}: unsigned 16-bit big-endian, as an {@code int} 0..65535. */
    public static final FieldType<Integer> UNSIGNED_SHORT_BE = scalar("UnsignedShortBE", int.class, 2, 0, 0xFFFF,
            "UnsignedShort", BE);
    /** {@code Int}: signed 32-bit little-endian. */
    public static final FieldType<Integer> INT = scalar("Int", int.class, 4, 0, Integer.MAX_VALUE, "Int", LE);
    /** {@code IntBE}: signed 32-bit big-endian. */
    public static final FieldType<Integer> INT_BE = scalar("IntBE", int.class, 4, 0, Integer.MAX_VALUE, "Int", BE);
    /** {@code UnsignedInt}: unsigned 32-bit little-endian, as a {@code long} 0..4294967295. */
    public static final FieldType<Long> UNSIGNED_INT = scalar("UnsignedInt", long.class, 4, 0L, 0xFFFF_FFFFL,
            "UnsignedInt", LE);
    /** {@code UnsignedIntBE}: unsigned 32-bit big-endian, as a {@code long} 0..4294967295. */
    public static final FieldType<Long> UNSIGNED_INT_BE = scalar("UnsignedIntBE", long.class, 4, 0L, 0xFFFF_FFFFL,
            "UnsignedInt", BE);
    /** {@code Long}: signed 64-bit little-endian. */
    public static final FieldType<Long> LONG = scalar("Long", long.class, 8, 0L, -1, "Long", LE);
    /** {@code LongBE}: signed 64-bit big-endian. */
    public static final FieldType<Long> LONG_BE = scalar("LongBE", long.class, 8, 0L, -1, "Long", BE);
    /** {@code UnsignedLong}: unsigned 64-bit little-endian in a {@code long} with unsigned semantics. */
    public static final FieldType<Long> UNSIGNED_LONG = scalar("UnsignedLong", long.class, 8, 0L, -1, "Long", LE);
    /** {@code UnsignedLongBE}: unsigned 64-bit big-endian in a {@code long} with unsigned semantics. */
    public static final FieldType<Long> UNSIGNED_LONG_BE = scalar("UnsignedLongBE", long.class, 8, 0L, -1, "Long",
            BE);
    /** {@code CharAscii}: one ASCII character (U+0000..U+007F). */
    public static final FieldType<Character> CHAR_ASCII = scalar("CharAscii", char.class, 1, ' ', -1, "Char",
            Wire.MAX_ASCII);
    /** {@code CharIso8859}: one ISO-8859-1 character (U+0000..U+00FF). */
    public static final FieldType<Character> CHAR_ISO8859 = scalar("CharIso8859", char.class, 1, ' ', -1, "Char",
            Wire.MAX_ISO);
    /** {@code AsciiString}: signed 16-bit little-endian character count (0..32767), then ASCII characters. */
    public static final FieldType<String> ASCII_STRING = value("AsciiString", String.class, -1, Short.BYTES, "",
            new TextCodec(Wire.MAX_ASCII), null);
    /** {@code Iso8859String}: signed 16-bit little-endian character count (0..32767), then ISO-8859-1 characters. */
    public static final FieldType<String> ISO8859_STRING = value("Iso8859String", String.class, -1, Short.BYTES, "",
            new TextCodec(Wire.MAX_ISO), null);

    private final String name;
    /** The exact Java type of a record component bound to this type. */
    final Class<?> javaType;
    private final Class<?> boxedType;
    /** Encoded size in bytes, or {@code -1} when it depends on the value. */
    final int fixedSize;
    /** The fewest bytes any value of this type decodes from. */
    final int minSize;
    /** For integer types that can count array items: the largest value; {@code -1} otherwise. */
    final long maxCount;
    /** For arrays: the item type, checked against the record component's type argument. */
    final @Nullable FieldType<?> element;
    private final T defaultValue;
    /** {@code (String label, ByteBuffer, int base) -> javaType}. */
    final MethodHandle reader;
    /** {@code (String label, ByteBuffer, javaType) -> void}. */
    final MethodHandle writer;
    private final MethodHandle objectReader;
    private final MethodHandle objectWriter;
    /** Encoded size of a value ({@code null} = the default), for types whose size varies. */
    private final @Nullable ToIntFunction<@Nullable Object> sizer;

    private FieldType(String name, Class<?> javaType, int fixedSize, int minSize, long maxCount,
            @Nullable FieldType<?> element, T defaultValue, MethodHandle reader, MethodHandle writer,
            @Nullable ToIntFunction<@Nullable Object> sizer) {
        this.name = name;
        this.javaType = javaType;
        this.boxedType = javaType.isPrimitive() ? MethodType.methodType(javaType).wrap().returnType() : javaType;
        this.fixedSize = fixedSize;
        this.minSize = minSize;
        this.maxCount = maxCount;
        this.element = element;
        this.defaultValue = defaultValue;
        this.reader = reader;
        this.writer = writer;
        this.objectReader = reader.asType(READ_SHAPE);
        this.objectWriter = writer.asType(WRITE_SHAPE);
        this.sizer = sizer;
    }

    private static <T> FieldType<T> scalar(String name, Class<?> javaType, int size, T defaultValue, long maxCount,
            String wireName, @Nullable Object bound) {
        Class<?>[] lead = bound == null ? new Class<?>[] {String.class}
                : new Class<?>[] {String.class, bound instanceof Integer ? int.class : ByteOrder.class};
        try {
            MethodHandle read = LOOKUP.findStatic(Wire.class, "read" + wireName, MethodType.methodType(javaType,
                    lead).appendParameterTypes(ByteBuffer.class, int.class));
            MethodHandle write = LOOKUP.findStatic(Wire.class, "write" + wireName, MethodType.methodType(void.class,
                    lead).appendParameterTypes(ByteBuffer.class, javaType));
            if (bound != null) {
                read = MethodHandles.insertArguments(read, 1, bound);
                write = MethodHandles.insertArguments(write, 1, bound);
            }
            return new FieldType<>(name, javaType, size, size, maxCount, null, defaultValue, read, write, null);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends @Nullable Object> FieldType<T> value(String name, Class<?> javaType, int fixedSize,
            int minSize, T defaultValue, ValueCodec<?> codec, @Nullable FieldType<?> element) {
        MethodHandle read = VALUE_READ.bindTo(codec).asType(MethodType.methodType(javaType, String.class,
                ByteBuffer.class, int.class));
        MethodHandle write = VALUE_WRITE.bindTo(codec).asType(MethodType.methodType(void.class, String.class,
                ByteBuffer.class, javaType));
        ValueCodec<@Nullable Object> values = (ValueCodec<@Nullable Object>) codec;
        return new FieldType<>(name, javaType, fixedSize, minSize, -1, element, defaultValue, read, write,
                values::size);
    }

    /**
     * {@code FixedAsciiString(len)}: exactly {@code len} ASCII bytes, left-justified (space-padded on the right).
     *
     * @param length the width in bytes, at least 1
     * @return the field type
     * @throws IllegalArgumentException when {@code length} is less than 1
     */
    public static FieldType<String> fixedAscii(int length) {
        return fixedAscii(length, false);
    }

    /**
     * {@code FixedAsciiString(len, rightJustified)}: exactly {@code len} ASCII bytes, space-padded on the right,
     * or on the left when {@code rightJustified}. Decoding strips whitespace on both sides in either case.
     *
     * @param length the width in bytes, at least 1
     * @param rightJustified pad on the left instead of the right
     * @return the field type
     * @throws IllegalArgumentException when {@code length} is less than 1
     */
    public static FieldType<String> fixedAscii(int length, boolean rightJustified) {
        return fixed("FixedAsciiString", length, rightJustified, Wire.MAX_ASCII);
    }

    /**
     * {@code FixedIsoString(len)}: exactly {@code len} ISO-8859-1 bytes, left-justified.
     *
     * @param length the width in bytes, at least 1
     * @return the field type
     * @throws IllegalArgumentException when {@code length} is less than 1
     */
    public static FieldType<String> fixedIso(int length) {
        return fixedIso(length, false);
    }

    /**
     * {@code FixedIsoString(len, rightJustified)}: exactly {@code len} ISO-8859-1 bytes, space-padded on the
     * right, or on the left when {@code rightJustified}. Decoding strips whitespace (including 0x85 and 0xA0) on
     * both sides in either case.
     *
     * @param length the width in bytes, at least 1
     * @param rightJustified pad on the left instead of the right
     * @return the field type
     * @throws IllegalArgumentException when {@code length} is less than 1
     */
    public static FieldType<String> fixedIso(int length, boolean rightJustified) {
        return fixed("FixedIsoString", length, rightJustified, Wire.MAX_ISO);
    }

    private static FieldType<String> fixed(String kind, int length, boolean rightJustified, int maxChar) {
        if (length < 1) {
            throw new IllegalArgumentException(kind + ": length " + length + " must be at least 1");
        }
        String name = kind + "(" + length + (rightJustified ? ", rightJustified" : "") + ")";
        return value(name, String.class, length, length, "", new FixedTextCodec(length, rightJustified, maxChar),
                null);
    }

    /**
     * {@code Array(item)}: a {@link #SHORT} (signed 16-bit little-endian) item count, then the items.
     *
     * @param item the type of each item
     * @param <E> the item type
     * @return the field type, whose Java type is {@code List<E>} (decoded lists are unmodifiable)
     * @throws IllegalArgumentException when items of {@code item} can be zero bytes long (a record without
     *     fields), which would let a count allocate without consuming input
     */
    public static <E> FieldType<List<E>> array(FieldType<E> item) {
        return array(item, SHORT);
    }

    /**
     * {@code Array(item, count)}: an item count of the given integer type, then the items.
     *
     * @param item the type of each item
     * @param count the type of the count prefix: {@link #BYTE}, a short, unsigned short, int or unsigned int type
     * @param <E> the item type
     * @return the field type, whose Java type is {@code List<E>} (decoded lists are unmodifiable)
     * @throws IllegalArgumentException when {@code count} is not one of the integer types above, or items of
     *     {@code item} can be zero bytes long
     */
    public static <E> FieldType<List<E>> array(FieldType<E> item, FieldType<?> count) {
        if (count.maxCount < 0) {
            throw new IllegalArgumentException("Array(" + item + "): count type " + count
                    + " is not an integer type of at most 32 bits");
        }
        if (item.minSize < 1) {
            throw new IllegalArgumentException("Array(" + item + "): items may be 0 bytes long; expected item types"
                    + " of at least one byte");
        }
        String name = "Array(" + item + (count == SHORT ? "" : ", count " + count) + ")";
        return value(name, List.class, -1, count.fixedSize, List.of(), new ArrayCodec(item, count), item);
    }

    /**
     * A nested record: its fields, concatenated, with no prefix.
     *
     * @param definition the record's definition
     * @param <R> the record type
     * @return the field type, whose Java type is {@code R}
     */
    public static <R extends Record> FieldType<R> record(RecordDefinition<R> definition) {
        Class<R> type = definition.type();
        MethodHandle orDefaults = OR_DEFAULTS.bindTo(definition).asType(MethodType.methodType(type, type));
        MethodHandle write = MethodHandles.filterArguments(definition.encoder, 1, orDefaults);
        return new FieldType<>(type.getSimpleName(), type, definition.fixedSize, definition.minSize, -1, null,
                definition.defaultsOrNull(), MethodHandles.dropArguments(definition.decoder, 0, String.class),
                MethodHandles.dropArguments(write, 0, String.class),
                v -> definition.size(type.cast(definition.orDefaults(type.cast(v)))));
    }

    /**
     * A record with a present bit: one {@link #BOOLEAN} byte, then the record's fields only if it is {@code 01}.
     *
     * @param definition the record's definition
     * @param <R> the record type
     * @return the field type, whose Java type is {@code R}; {@code null} means absent (just {@code 00})
     */
    public static <R extends Record> FieldType<@Nullable R> optional(RecordDefinition<R> definition) {
        return value("Optional(" + definition.type().getSimpleName() + ")", definition.type(), -1, 1, null,
                new OptionalCodec<>(definition), null);
    }

    /** @return the type's name, e.g. {@code UnsignedIntBE} or {@code FixedAsciiString(8)} */
    public String name() {
        return name;
    }

    /** @return the value that fields never set take: 0, false, space, "", an empty list, defaults, or absent */
    public T defaultValue() {
        return defaultValue;
    }

    /** @return {@link #name()} */
    @Override
    public String toString() {
        return name;
    }

    /** The label of a field of this type in error messages. */
    String label(String field) {
        return "field '" + field + "' (" + name + ")";
    }

    /** {@code (ByteBuffer, int base) -> javaType} reading a field labelled {@code label}. */
    MethodHandle reader(String label) {
        return MethodHandles.insertArguments(reader, 0, label);
    }

    /** {@code (ByteBuffer, javaType) -> void} writing a field labelled {@code label}. */
    MethodHandle writer(String label) {
        return MethodHandles.insertArguments(writer, 0, label);
    }

    /** Reads a value, boxed, for a field labelled {@code label}. */
    @Nullable Object readObject(String label, ByteBuffer b, int base) {
        try {
            return (Object) objectReader.invokeExact(label, b, base);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Writes a boxed value ({@code null} = the default) for a field labelled {@code label}, checking its type. */
    void writeObject(String label, ByteBuffer b, @Nullable Object value) {
        Object v = value == null ? defaultValue : value;
        checkType(label, v);
        try {
            objectWriter.invokeExact(label, b, v);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Encoded size of a boxed value ({@code null} = the default). */
    int sizeOf(@Nullable Object value) {
        if (fixedSize >= 0) {
            return fixedSize;
        }
        return Objects.requireNonNull(sizer).applyAsInt(value);
    }

    private void checkType(String label, @Nullable Object v) {
        if (v != null && !boxedType.isInstance(v)) {
            throw new IllegalArgumentException(label + ": expected a " + boxedType.getSimpleName() + ", got a "
                    + v.getClass().getName() + " (" + v + ")");
        }
    }

    @Override
    T read(ByteBuffer b, int base) {
        @SuppressWarnings("unchecked")
        T value = (T) readObject(name, b, base);
        return value;
    }

    @Override
    void write(ByteBuffer b, T value) {
        writeObject(name, b, value);
    }

    /**
     * Returns the number of bytes {@code value} encodes to.
     *
     * @param value the value ({@code null} for a string, array or record = the default)
     * @return the encoded size in bytes
     * @throws IllegalArgumentException when the value is not of this type's Java type
     */
    @Override
    public int size(T value) {
        checkType(name, value);
        return sizeOf(value);
    }
}
